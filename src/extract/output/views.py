"""The joined views of ``OUT/budget.duckdb``: what a budget promised beside what its 决算
reports was achieved.

``evaluation_targets``: one row per evaluated indicator (``evaluation_indicators``), beside the
target the budget published for the same year, department and project (``indicators`` of a
``projects`` row), matched by project code where both print one, else by normalised project
name, and by normalised indicator name; ``matched_by`` says how (``project_code``,
``project_name``), NULL where no budget row matches. Names are compared without white space
and punctuation, a leading year (``2022年``), a trailing 项目 and an ``指标1：`` prefix.
"""

from __future__ import annotations

from typing import Any

MACROS = (
    # a project or department name as a key: no spaces or punctuation, no leading year or
    # trailing 项目 (2022年病媒生物防制项目 = 病媒生物防制)
    r"""CREATE MACRO budget_name_key(s) AS regexp_replace(regexp_replace(regexp_replace(
        coalesce(s, ''), '[\s　,，.。、;；:："“”''‘’()（）\[\]【】《》<>·\-—_/]', '', 'g'),
        '^(19|20)\d{2}年度?', ''), '项目$', '')""",
    # an indicator name as a key: also without a numbering prefix (指标1：)
    r"""CREATE MACRO budget_indicator_key(s) AS budget_name_key(
        regexp_replace(coalesce(s, ''), '^\s*指标\s*\d+\s*[:：]', ''))""",
)

EVALUATION_TARGETS = """
CREATE VIEW evaluation_targets AS
WITH evaluated AS (
    SELECT e.doc_id AS evaluation_doc_id, e.evaluation_seq, i.indicator_seq,
           coalesce(e.evaluated_year, d.year) AS year,
           coalesce(e.department, d.department) AS department,
           e.project_code, e.project_name, e.unit_name,
           i.level1_name, i.level2_name, i.name,
           i.target_raw AS evaluated_target_raw, i.actual_raw, i.actual_op, i.actual_value,
           i.actual_unit, i.weight, i.score, i.met, i.deviation,
           budget_name_key(coalesce(e.department, d.department)) AS department_key,
           budget_name_key(e.project_name) AS project_key, budget_indicator_key(i.name) AS name_key
    FROM evaluation_indicators i
    JOIN evaluations e ON e.doc_id = i.doc_id AND e.evaluation_seq = i.evaluation_seq
    JOIN documents d ON d.doc_id = e.doc_id
), budgeted AS (
    SELECT t.doc_id AS budget_doc_id, t.project_seq, t.indicator_seq AS target_indicator_seq,
           d.year, p.project_code, p.project_name AS budget_project_name, t.name AS target_name,
           t.annual_raw AS target_raw, t.annual_op AS target_op,
           t.annual_value AS target_value, t.annual_unit AS target_unit,
           budget_name_key(d.department) AS department_key,
           budget_name_key(p.project_name) AS project_key, budget_indicator_key(t.name) AS name_key
    FROM indicators t
    JOIN projects p ON p.doc_id = t.doc_id AND p.project_seq = t.project_seq
    JOIN documents d ON d.doc_id = t.doc_id
)
SELECT ev.* EXCLUDE (department_key, project_key, name_key),
       b.budget_doc_id, b.project_seq, b.target_indicator_seq, b.budget_project_name,
       b.target_name, b.target_raw, b.target_op, b.target_value, b.target_unit,
       CASE WHEN b.budget_doc_id IS NULL THEN NULL
            WHEN ev.project_code IS NOT NULL AND ev.project_code = b.project_code
            THEN 'project_code' ELSE 'project_name' END AS matched_by
FROM evaluated ev
LEFT JOIN budgeted b
  ON ev.year = b.year AND ev.department_key = b.department_key AND ev.name_key = b.name_key
 AND (ev.project_code = b.project_code
      OR ((ev.project_code IS NULL OR b.project_code IS NULL) AND ev.project_key = b.project_key))
"""


def create_joined_views(con: Any) -> None:
    """The macros and joined views, on a connection whose table views exist."""
    for macro in MACROS:
        con.execute(macro)
    con.execute(EVALUATION_TARGETS)
