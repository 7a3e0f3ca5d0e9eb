DROP TABLE catalog_versions;
DROP TABLE catalog_items;
