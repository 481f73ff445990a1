-- Placeholder on branch policies only: migration 016 belongs to another branch (the numbering
-- keeps 018-020 for maintenance windows, health policies and owners). Delete this file when
-- that branch's 016 is merged: the runner needs consecutive numbers.
SELECT 1;
