-- Rectification notice numbers (整改〔2026〕第015号): one counter per year in Asia/Shanghai.
-- The creating transaction takes the next number with one upsert; the row lock it holds until
-- commit makes a concurrent creation wait, so two notices never get the same number and a
-- rolled-back creation gives its number back.
CREATE TABLE notice_numbers (
  year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2999),
  last integer NOT NULL CHECK (last >= 1)
);
