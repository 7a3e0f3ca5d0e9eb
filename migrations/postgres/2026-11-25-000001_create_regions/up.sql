-- Administrative regions (GB/T 2260): Jiujiang and its county-level divisions. Every jurisdiction refers here.
CREATE TABLE regions (
    code        VARCHAR(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('city', 'county')),
    kind        TEXT NOT NULL CHECK (kind IN ('city', 'district', 'county', 'county_city')),
    parent_code VARCHAR(6) REFERENCES regions (code),
    created_at  TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    updated_at  TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    CHECK ((level = 'city') = (parent_code IS NULL))
);
CREATE INDEX regions_parent_code ON regions (parent_code);

INSERT INTO regions (code, name, name_en, level, kind, parent_code) VALUES
    ('360400', '九江市', 'Jiujiang', 'city', 'city', NULL),
    ('360402', '濂溪区', 'Lianxi District', 'county', 'district', '360400'),
    ('360403', '浔阳区', 'Xunyang District', 'county', 'district', '360400'),
    ('360404', '柴桑区', 'Chaisang District', 'county', 'district', '360400'),
    ('360423', '武宁县', 'Wuning County', 'county', 'county', '360400'),
    ('360424', '修水县', 'Xiushui County', 'county', 'county', '360400'),
    ('360425', '永修县', 'Yongxiu County', 'county', 'county', '360400'),
    ('360426', '德安县', 'De''an County', 'county', 'county', '360400'),
    ('360428', '都昌县', 'Duchang County', 'county', 'county', '360400'),
    ('360429', '湖口县', 'Hukou County', 'county', 'county', '360400'),
    ('360430', '彭泽县', 'Pengze County', 'county', 'county', '360400'),
    ('360481', '瑞昌市', 'Ruichang', 'county', 'county_city', '360400'),
    ('360482', '共青城市', 'Gongqingcheng', 'county', 'county_city', '360400'),
    ('360483', '庐山市', 'Lushan', 'county', 'county_city', '360400');
