//! Chinese names for demo subjects: people, companies, individual businesses and addresses in Jiujiang.

use super::rng::Rng;

/// Common surnames, the most frequent in Jiangxi listed more than once so that they come up more often.
const SURNAMES: &[&str] = &[
    "刘", "刘", "刘", "陈", "陈", "陈", "李", "李", "李", "王", "王", "张", "张", "黄", "黄", "胡", "胡", "吴", "吴",
    "罗", "罗", "邓", "徐", "万", "熊", "周", "杨", "朱", "曾", "彭", "肖", "余", "涂", "钟", "赵", "郭", "何", "高",
    "林", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "曹", "袁", "潘", "蔡", "程", "魏", "丁", "姚", "卢", "汪",
    "江", "付", "戴", "龚", "雷", "邹", "游", "聂", "殷", "况", "喻", "桂", "饶",
];

const MALE_GIVEN: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇",
    "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "建", "国", "志", "文", "海", "峰", "东", "晨", "金",
    "荣", "春", "德", "良", "忠", "兵", "亮", "根", "水", "发", "庆", "成",
];

const FEMALE_GIVEN: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "琳", "颖", "倩", "洁", "萍", "红",
    "梅", "莉", "兰", "琴", "云", "华", "晶", "薇", "月", "秀", "英", "凤", "桂", "珍", "丹", "欣", "悦", "佳", "怡",
    "璐", "菲",
];

/// Trade names (字号).
const TRADE_NAMES: &[&str] = &[
    "鑫盛",
    "华宇",
    "恒达",
    "润丰",
    "瑞祥",
    "庐峰",
    "浔隆",
    "赣鄱",
    "湖光",
    "金茂",
    "宏图",
    "顺达",
    "嘉禾",
    "博远",
    "中诚",
    "天源",
    "永盛",
    "泰和",
    "汇通",
    "兴旺",
    "德隆",
    "新锐",
    "九鼎",
    "众鑫",
    "锦程",
    "卓越",
    "联创",
    "弘信",
    "富康",
    "盛世",
    "昌隆",
    "远航",
    "百川",
    "正阳",
    "安泰",
    "佳和",
    "明珠",
    "鸿运",
    "聚源",
    "和谐",
    "方圆",
    "通达",
    "华联",
    "东方",
    "匡庐",
    "甘棠",
    "琵琶",
    "浔城",
    "柴桑",
    "鄱湖",
    "云居",
    "修河",
    "幕阜",
    "八里湖",
    "白鹿",
    "南山",
    "宏昌",
    "晨光",
    "绿源",
    "银河",
];

/// Lines of business, as they appear in company names.
pub const INDUSTRIES: &[&str] = &[
    "建材",
    "商贸",
    "食品",
    "餐饮管理",
    "物流",
    "建筑工程",
    "房地产开发",
    "医药",
    "纺织",
    "化工",
    "机械制造",
    "电子科技",
    "农业开发",
    "茶业",
    "旅游开发",
    "汽车销售",
    "环保科技",
    "水产",
    "酒店管理",
    "装饰工程",
    "劳务",
    "运输",
    "石化",
    "新材料",
    "家具",
    "服装",
    "粮油",
    "矿业",
    "信息技术",
    "生物科技",
];

/// The statistical industry a line of business belongs to (GB/T 4754 sections, as evaluations name them).
pub fn industry_section(industry: &str) -> &'static str {
    match industry {
        "建材" | "纺织" | "化工" | "机械制造" | "电子科技" | "新材料" | "家具" | "服装" | "石化" | "生物科技" => {
            "制造业"
        }
        "商贸" | "汽车销售" | "医药" | "粮油" => "批发和零售业",
        "食品" | "餐饮管理" | "酒店管理" => "住宿和餐饮业",
        "物流" | "运输" => "交通运输、仓储和邮政业",
        "建筑工程" | "装饰工程" | "劳务" => "建筑业",
        "房地产开发" => "房地产业",
        "农业开发" | "茶业" | "水产" => "农、林、牧、渔业",
        "旅游开发" => "租赁和商务服务业",
        "矿业" => "采矿业",
        "信息技术" => "信息传输、软件和信息技术服务业",
        _ => "水利、环境和公共设施管理业",
    }
}

const SHOPS: &[&str] = &[
    "小吃店",
    "便利店",
    "五金店",
    "水果店",
    "副食店",
    "理发店",
    "汽车修理部",
    "农资店",
    "服装店",
    "建材店",
    "烟酒商行",
    "餐馆",
    "茶叶店",
    "粮油店",
    "早餐店",
    "家电维修部",
    "手机店",
    "米粉店",
    "超市",
    "干洗店",
];

/// Streets and roads, by county (region code); the city's main roads serve where a county has none listed.
fn roads(region: &str) -> &'static [&'static str] {
    match region {
        "360402" => &["十里大道", "濂溪大道", "前进东路", "长城路", "庐山南路", "莲花大道"],
        "360403" => &["浔阳路", "庐山北路", "长虹大道", "滨江路", "甘棠北路", "大中路"],
        "360404" => &["柴桑大道", "沙河大道", "港口街镇正街", "城子镇新街"],
        "360423" => &["武宁大道", "沙田大道", "豫宁街"],
        "360424" => &["义宁镇良塘大道", "修水大道", "鹰山路"],
        "360425" => &["永修大道", "涂埠镇云山路", "燕坊街"],
        "360426" => &["德安大道", "蒲亭镇义峰街", "聂桥路"],
        "360428" => &["都昌大道", "东湖路", "矶山路"],
        "360429" => &["湖口大道", "双钟镇石钟路", "江桥路"],
        "360430" => &["彭泽大道", "龙城镇澎浪路", "芙蓉路"],
        "360481" => &["湓城街道瑞昌大道", "赛湖路", "人民路"],
        "360482" => &["共青大道", "富华大道", "青年大道"],
        "360483" => &["庐山大道", "南康镇紫阳路", "观音桥路"],
        _ => &["长虹大道", "浔阳东路", "九龙街", "八里湖大道", "柴桑路"],
    }
}

/// The county's name (九江市 for the city itself).
pub fn region_name(region: &str) -> &'static str {
    match region {
        "360402" => "濂溪区",
        "360403" => "浔阳区",
        "360404" => "柴桑区",
        "360423" => "武宁县",
        "360424" => "修水县",
        "360425" => "永修县",
        "360426" => "德安县",
        "360428" => "都昌县",
        "360429" => "湖口县",
        "360430" => "彭泽县",
        "360481" => "瑞昌市",
        "360482" => "共青城市",
        "360483" => "庐山市",
        _ => "九江市",
    }
}

/// The counties of Jiujiang (GB/T 2260), as in the regions migration.
pub const COUNTIES: [&str; 13] = [
    "360402", "360403", "360404", "360423", "360424", "360425", "360426", "360428", "360429", "360430", "360481",
    "360482", "360483",
];

/// A person's name: a surname and one or two given characters fitting the sex.
pub fn person(rng: &mut Rng, male: bool) -> String {
    let given = if male { MALE_GIVEN } else { FEMALE_GIVEN };
    let mut name = String::from(*rng.pick(SURNAMES));
    name.push_str(rng.one_of(given));
    if rng.chance(70) {
        name.push_str(rng.one_of(given));
    }
    name
}

/// A company name (九江 + trade name + line of business + 有限公司, some named after their county), with its line
/// of business.
pub fn company(rng: &mut Rng, region: &str) -> (String, &'static str) {
    let industry = *rng.pick(INDUSTRIES);
    let place = match region_name(region) {
        county if county != "九江市" && rng.chance(35) => county.trim_end_matches(['区', '县', '市']),
        _ => "九江",
    };
    let form = match rng.below(20) {
        0 => "股份有限公司",
        1..=3 => "有限责任公司",
        _ => "有限公司",
    };
    (format!("{place}{}{industry}{form}", rng.pick(TRADE_NAMES)), industry)
}

/// An individual business's name (e.g. 浔阳区老王小吃店), with its line of business.
pub fn individual_business(rng: &mut Rng, region: &str, owner: &str) -> (String, &'static str) {
    let shop = *rng.pick(SHOPS);
    let surname = owner.chars().next().map(String::from).unwrap_or_default();
    let name = match rng.below(3) {
        0 => format!("{}老{surname}{shop}", region_name(region)),
        1 => format!("{}{surname}记{shop}", region_name(region)),
        _ => format!("{}{}{shop}", region_name(region), rng.pick(TRADE_NAMES)),
    };
    let industry = match shop {
        "小吃店" | "餐馆" | "早餐店" | "米粉店" => "餐饮管理",
        "五金店" | "建材店" => "建材",
        "汽车修理部" | "家电维修部" | "理发店" | "干洗店" => "劳务",
        _ => "商贸",
    };
    (name, industry)
}

/// A street address in the county (江西省九江市 + county + road + number).
pub fn address(rng: &mut Rng, region: &str) -> String {
    let county = match region_name(region) {
        "九江市" => "",
        county => county,
    };
    format!("江西省九江市{county}{}{}号", rng.pick(roads(region)), rng.between(1, 399))
}

#[cfg(test)]
mod tests {
    use super::*;
    use credit_types::masking::MaskingRule;

    #[test]
    fn names_look_chinese_and_addresses_mask_to_the_county() {
        let mut rng = Rng::new(9);
        for region in COUNTIES {
            let (name, _) = company(&mut rng, region);
            assert!(name.ends_with("公司") && name.chars().count() <= 100, "{name}");
            let male = rng.chance(50);
            let person = person(&mut rng, male);
            assert!((2..=3).contains(&person.chars().count()), "{person}");
            let (shop, _) = individual_business(&mut rng, region, &person);
            assert!(shop.starts_with(region_name(region)), "{shop}");
            let address = address(&mut rng, region);
            let masked = MaskingRule::Address.apply(&address);
            assert_eq!(masked, format!("江西省九江市{}****", region_name(region)), "{address}");
        }
    }
}
