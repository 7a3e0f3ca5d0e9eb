//! Generated data: Jiujiang-like company names with valid unified social credit codes, administrative penalty
//! values, and the providing organisations. Subject `i` is always the same subject, so later batches can refer to
//! subjects already stored with exactly their stored name.

use chrono::{Duration, NaiveDate};
use credit_types::catalog::{DisclosureClass, SubjectKind};
use credit_types::RegionLevel;
use std::collections::BTreeMap;

/// A small, fast, seedable generator (SplitMix64): reproducible data without another dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A data-providing organisation of the benchmark.
pub struct ProviderSpec {
    pub name: &'static str,
    pub short: &'static str,
    pub region: &'static str,
    pub level: RegionLevel,
}

/// Several providers in several counties, three of them city-level (whose shared records city user units see).
pub const PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        name: "九江市市场监督管理局", short: "九市监", region: "360400", level: RegionLevel::City
    },
    ProviderSpec { name: "九江市生态环境局", short: "九环", region: "360400", level: RegionLevel::City },
    ProviderSpec { name: "九江市应急管理局", short: "九应急", region: "360400", level: RegionLevel::City },
    ProviderSpec {
        name: "濂溪区市场监督管理局", short: "濂市监", region: "360402", level: RegionLevel::County
    },
    ProviderSpec {
        name: "浔阳区市场监督管理局", short: "浔市监", region: "360403", level: RegionLevel::County
    },
    ProviderSpec {
        name: "修水县市场监督管理局", short: "修市监", region: "360424", level: RegionLevel::County
    },
    ProviderSpec {
        name: "都昌县市场监督管理局", short: "都市监", region: "360428", level: RegionLevel::County
    },
    ProviderSpec {
        name: "瑞昌市市场监督管理局", short: "瑞市监", region: "360481", level: RegionLevel::County
    },
];

const PLACES: &[&str] = &[
    "九江",
    "九江市",
    "浔阳",
    "濂溪",
    "柴桑",
    "武宁",
    "修水",
    "永修",
    "德安",
    "都昌",
    "湖口",
    "彭泽",
    "瑞昌",
    "共青城",
    "庐山",
    "",
    "",
    "",
];
const PLACE_CODES: &[&str] = &[
    "360400", "360400", "360403", "360402", "360404", "360423", "360424", "360425", "360426", "360428", "360429",
    "360430", "360481", "360482", "360483", "360400", "360402", "360481",
];
const FIRST: &[char] = &[
    '长', '恒', '鑫', '华', '盛', '宏', '鸿', '永', '泰', '兴', '瑞', '昌', '金', '银', '富', '荣', '嘉', '天', '佳',
    '汇', '东', '南', '新', '联', '博', '德', '信', '诚', '润', '丰', '和', '安', '康', '凯', '达', '顺', '远', '通',
    '浔', '庐',
];
const SECOND: &[char] = &[
    '江', '湖', '源', '祥', '发', '隆', '辉', '盈', '宇', '豪', '晟', '泽', '森', '林', '阳', '光', '明', '海', '峰',
    '岳', '业', '邦', '创', '鼎', '悦', '帆', '川', '航', '图', '星',
];
const TRADES: &[&str] = &[
    "建筑工程",
    "建材",
    "商贸",
    "电子科技",
    "信息技术",
    "物流",
    "食品",
    "化工",
    "机械制造",
    "农业开发",
    "房地产开发",
    "餐饮管理",
    "环保科技",
    "纺织",
    "医药",
    "汽车销售",
    "船舶运输",
    "旅游开发",
    "文化传媒",
    "矿业",
    "水产养殖",
    "茶业",
    "家具",
    "装饰工程",
    "劳务",
    "物业管理",
    "新能源",
    "生物科技",
];
const FORMS: &[&str] = &["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "实业有限公司"];
const SHOPS: &[&str] = &["商行", "经营部", "店", "门市部", "批发部"];
const USCC_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Subject `index`: kind, a valid code unique to the index, and a name.
pub fn subject(index: usize) -> (SubjectKind, String, String) {
    let mut rng = Rng::new(0x5EED_0000_0000 ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let place = rng.below(PLACES.len());
    let brand: String = [*rng.pick(FIRST), *rng.pick(SECOND)].iter().collect();
    let trade = *rng.pick(TRADES);
    let individual = index % 10 == 7;
    let (kind, prefix, name) = if individual {
        let shop = *rng.pick(SHOPS);
        let short: String = trade.chars().take(2).collect();
        (SubjectKind::IndividualBusiness, "92", format!("{}{brand}{short}{shop}", PLACES[place]))
    } else {
        let form = *rng.pick(FORMS);
        (SubjectKind::LegalPerson, "91", format!("{}{brand}{trade}{form}", PLACES[place]))
    };
    // Nine characters of the organisation part, a bijection of the index (the multiplier is prime to 31).
    let mut n = (index as u64).wrapping_mul(7_919) % 31u64.pow(9);
    let mut body = [b'0'; 9];
    for slot in body.iter_mut().rev() {
        *slot = USCC_CHARSET[(n % 31) as usize];
        n /= 31;
    }
    let first17 = format!("{prefix}{}{}", PLACE_CODES[place], String::from_utf8_lossy(&body));
    let check = credit_types::codes::uscc_check_character(&first17).unwrap_or('0');
    (kind, format!("{first17}{check}"), name)
}

/// A 2 to 4 character piece of a subject's name: what people type into the portal's search box.
pub fn name_fragment(rng: &mut Rng, subjects: usize) -> String {
    let (_, _, name) = subject(rng.below(subjects));
    let chars: Vec<char> = name.chars().collect();
    let len = 2 + rng.below(3).min(chars.len().saturating_sub(2));
    let start = rng.below(chars.len() - len + 1);
    chars[start..start + len].iter().collect()
}

/// A record's content: decision date, class, publication days and the ADM_PENALTY values.
pub struct Content {
    pub decision_date: NaiveDate,
    pub class: DisclosureClass,
    pub publish_days: u32,
    pub values: BTreeMap<String, String>,
}

const VIOLATIONS: &[&str] = &[
    "未按规定公示年度报告",
    "销售不合格产品",
    "无照经营",
    "虚假宣传",
    "违反安全生产规定",
    "超标排放污染物",
    "违规施工",
    "食品经营许可违法",
    "价格违法",
    "未按规定开展消防检查",
];
const BASES: &[&str] = &[
    "《中华人民共和国行政处罚法》第二十八条",
    "《中华人民共和国产品质量法》第四十九条",
    "《中华人民共和国广告法》第五十五条",
    "《中华人民共和国安全生产法》第九十九条",
    "《中华人民共和国大气污染防治法》第九十九条",
    "《中华人民共和国食品安全法》第一百二十二条",
];
const CATEGORIES: &[&str] = &["罚款", "罚款", "罚款", "警告", "没收违法所得", "责令停产停业"];

/// Content of one record of `provider`; about 60 % public, 25 % shared, 15 % authorised, decided in the last
/// three years with 90 to 1095 days of publication (so some are already past their period).
pub fn content(rng: &mut Rng, provider: &ProviderSpec, today: NaiveDate, serial: u64) -> Content {
    let decision_date = today - Duration::days(rng.below(1_000) as i64);
    let class = match rng.below(100) {
        0..=59 => DisclosureClass::Public,
        60..=84 => DisclosureClass::Shared,
        _ => DisclosureClass::Authorized,
    };
    let publish_days = 90 + rng.below(1_006) as u32;
    let violation = *rng.pick(VIOLATIONS);
    let category = *rng.pick(CATEGORIES);
    let amount = 500 * (1 + rng.below(400));
    let year = decision_date.format("%Y");
    let mut values = BTreeMap::new();
    values.insert("penalty_doc_no".to_owned(), format!("{}罚〔{year}〕{serial}号", provider.short));
    values.insert("violation_type".to_owned(), violation.to_owned());
    values.insert(
        "violation_facts".to_owned(),
        format!("经查,当事人存在{violation}的违法行为,情节一般,事实清楚、证据确凿。"),
    );
    values.insert("legal_basis".to_owned(), (*rng.pick(BASES)).to_owned());
    values.insert("penalty_category".to_owned(), category.to_owned());
    if category == "罚款" {
        values.insert("penalty_content".to_owned(), format!("罚款人民币{amount}元"));
        values.insert("fine_amount".to_owned(), format!("{amount}.00"));
    } else {
        values.insert("penalty_content".to_owned(), format!("{category},并责令限期改正"));
    }
    values.insert("authority".to_owned(), provider.name.to_owned());
    Content { decision_date, class, publish_days, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_have_valid_unique_codes_and_stable_names() {
        let mut codes = std::collections::HashSet::new();
        for i in 0..5_000 {
            let (_, code, name) = subject(i);
            assert!(credit_types::codes::check_uscc(&code).is_ok(), "{code}");
            assert!(codes.insert(code), "codes are unique");
            assert!(name.chars().count() >= 5, "{name}");
        }
        assert_eq!(subject(42), subject(42));
    }

    #[test]
    fn fragments_are_two_to_four_characters_of_a_name() {
        let mut rng = Rng::new(1);
        for _ in 0..1_000 {
            let fragment = name_fragment(&mut rng, 1_000);
            assert!((2..=4).contains(&fragment.chars().count()), "{fragment}");
        }
    }
}
