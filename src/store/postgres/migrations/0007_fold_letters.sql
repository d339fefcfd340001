-- PostgreSQL version of 0007_fold_letters.sql: nothing to do; unaccent already spells
-- ligatures and letters of their own as the SQLite index now does. (Versions stay aligned.)
SELECT 1;
