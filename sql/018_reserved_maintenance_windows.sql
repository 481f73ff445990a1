-- Placeholder on branch policies: maintenance windows (018) are not on this branch yet.
SELECT 1;
