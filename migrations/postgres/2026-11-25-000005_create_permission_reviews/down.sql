DROP TABLE permission_reviews;
