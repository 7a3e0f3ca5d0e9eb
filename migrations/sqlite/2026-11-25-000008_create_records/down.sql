DROP TABLE intake_batches;
DROP TABLE record_versions;
DROP TABLE records;
DROP TABLE subject_grams;
DROP TABLE subjects;
