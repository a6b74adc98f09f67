-- 100,000 groups in the project whose id is :project (psql variable), shaped like a busy project:
-- skewed counts, four states, a third assigned among 20 people, one in ten linked to one of
-- 5,000 Jira issues in five statuses, a small version histogram each.
INSERT INTO jira_issues (project_id, issue_id, issue_key, url, status, status_category)
SELECT :project, 'b' || i, 'BENCH-' || i, 'https://jira.invalid/browse/BENCH-' || i,
       (ARRAY['To Do', 'In Progress', 'In Review', 'Done', 'Won''t Fix'])[1 + i % 5],
       (ARRAY['new', 'indeterminate', 'indeterminate', 'done', 'done'])[1 + i % 5]
  FROM generate_series(1, 5000) i;

INSERT INTO error_groups (project_id, fingerprint, title, callstack, count, first_seen, last_seen, attributes, state, assignee, ticket_ref)
SELECT :project, 'bench-' || i, 'BenchError ' || i || ': something failed in module ' || (i % 97),
       '["at handler (app.js:10)", "at main (app.js:1)"]',
       (1 + floor(power(random(), 4) * 100000))::bigint,
       now() - interval '30 days' + (i % 1000) * interval '1 minute',
       now() - (random() * interval '30 days'),
       jsonb_build_object('version', jsonb_build_object('1.' || (i % 7), 1 + i % 13, '2.' || (i % 3), 1 + i % 5)),
       (ARRAY['open', 'open', 'open', 'open', 'open', 'open', 'in-progress', 'resolved', 'resolved', 'muted'])[1 + i % 10],
       CASE WHEN i % 3 = 0 THEN 'dev' || (i % 20) || '@example.com' END,
       CASE WHEN i % 10 = 0 THEN (SELECT min(id) FROM jira_issues WHERE project_id = :project) + (i / 10) % 5000 END
  FROM generate_series(1, 100000) i;

ANALYZE error_groups;
ANALYZE jira_issues;
