//! What demo records say: field values for each catalog item of the default catalog, written the way the units
//! that provide them write (market supervision, tax, environment, construction, labour, transport, the court).
//! Fields the generator does not know get a plain value of their type when required, so a changed catalog still
//! receives valid records.

use super::codes;
use super::names;
use super::rng::Rng;
use crate::catalog::store::Definition;
use chrono::{Datelike, Duration, NaiveDate};
use credit_types::catalog::{FieldType, SubjectKind};
use std::collections::BTreeMap;

/// The field of administration a providing unit works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    Market,
    Tax,
    Environment,
    Construction,
    Labour,
    Transport,
    Court,
}

/// A credit subject as the generator knows it: besides its code and name, what its records mention.
#[derive(Debug, Clone)]
pub struct DemoSubject {
    pub kind: SubjectKind,
    pub code: String,
    pub name: String,
    /// Where it is registered or lives.
    pub region: &'static str,
    /// Its line of business (organisations and individual businesses).
    pub industry: &'static str,
    /// Legal representative or operator: name and resident identity number (none for natural persons).
    pub representative: Option<(String, String)>,
    pub address: String,
}

/// The record being written: who it is about, who provides it, when it was decided.
pub struct Context<'a> {
    pub subject: &'a DemoSubject,
    pub unit_name: &'a str,
    pub unit_uscc: &'a str,
    pub unit_region: &'a str,
    /// The unit's short form in document numbers (九市监, 濂市监, 九税 …).
    pub abbr: &'a str,
    pub domain: Domain,
    pub decision: NaiveDate,
}

/// How often each catalog item of the default catalog occurs among demo records (unknown items: 3).
pub fn item_weight(code: &str) -> u32 {
    match code {
        "ADM_LICENCE" => 26,
        "ADM_PENALTY" => 24,
        "CREDIT_COMMITMENT" => 12,
        "CREDIT_EVALUATION" => 9,
        "ABNORMAL_OPERATION" => 9,
        "COMMENDATION" => 6,
        "ADM_COERCION" => 5,
        "COURT_JUDGMENT" => 5,
        "SERIOUS_DISHONESTY" => 4,
        _ => 3,
    }
}

/// Which units provide an item, and how often. Empty for items the generator does not know: any provider then.
pub fn domain_weights(code: &str) -> &'static [(Domain, u32)] {
    use Domain::*;
    match code {
        "ADM_LICENCE" => {
            &[(Market, 40), (Environment, 12), (Construction, 15), (Labour, 5), (Transport, 15), (Tax, 13)]
        }
        "ADM_PENALTY" => &[(Market, 45), (Tax, 15), (Environment, 15), (Construction, 10), (Labour, 7), (Transport, 8)],
        "ADM_COERCION" => &[(Market, 35), (Tax, 40), (Environment, 15), (Transport, 10)],
        "COMMENDATION" => {
            &[(Market, 30), (Labour, 25), (Construction, 15), (Transport, 10), (Environment, 10), (Tax, 10)]
        }
        "SERIOUS_DISHONESTY" => &[(Court, 55), (Market, 15), (Tax, 15), (Labour, 15)],
        "ABNORMAL_OPERATION" => &[(Market, 100)],
        "COURT_JUDGMENT" => &[(Court, 100)],
        "CREDIT_COMMITMENT" => {
            &[(Market, 35), (Tax, 20), (Construction, 15), (Environment, 10), (Labour, 10), (Transport, 10)]
        }
        "CREDIT_EVALUATION" => &[(Tax, 45), (Construction, 20), (Environment, 20), (Transport, 15)],
        _ => &[],
    }
}

/// Weights of legal persons, natural persons and individual businesses among the subjects of an item from a
/// domain: most records concern organisations.
pub fn kind_weights(code: &str, domain: Domain) -> [u32; 3] {
    use Domain::*;
    match (code, domain) {
        ("ADM_LICENCE", Transport) => [60, 25, 15],
        ("ADM_LICENCE", Market) => [65, 5, 30],
        ("ADM_LICENCE", Tax) => [85, 0, 15],
        ("ADM_LICENCE", _) => [100, 0, 0],
        ("ADM_PENALTY", Market) => [55, 15, 30],
        ("ADM_PENALTY", Tax) => [70, 10, 20],
        ("ADM_PENALTY", Transport) => [50, 35, 15],
        ("ADM_PENALTY", Labour) => [90, 0, 10],
        ("ADM_PENALTY", Environment) => [95, 0, 5],
        ("ADM_PENALTY", _) => [100, 0, 0],
        ("ADM_COERCION", Tax) => [70, 15, 15],
        ("ADM_COERCION", Market) => [60, 10, 30],
        ("ADM_COERCION", Transport) => [50, 40, 10],
        ("ADM_COERCION", _) => [100, 0, 0],
        ("COMMENDATION", Labour) => [60, 40, 0],
        ("COMMENDATION", Market) => [70, 0, 30],
        ("COMMENDATION", _) => [100, 0, 0],
        ("SERIOUS_DISHONESTY", Court) => [50, 45, 5],
        ("SERIOUS_DISHONESTY", Tax) => [80, 15, 5],
        ("SERIOUS_DISHONESTY", _) => [88, 0, 12],
        ("ABNORMAL_OPERATION", _) => [65, 0, 35],
        ("COURT_JUDGMENT", _) => [50, 40, 10],
        ("CREDIT_COMMITMENT", _) => [75, 10, 15],
        ("CREDIT_EVALUATION", _) => [85, 0, 15],
        _ => [70, 15, 15],
    }
}

/// The values of one record of `item`: what the generator knows for the item's fields, a plain value of the
/// field's type for any other required field, and nothing for other optional ones.
pub fn values(rng: &mut Rng, item: &Definition, ctx: &Context<'_>) -> BTreeMap<String, String> {
    let known = known_values(rng, &item.code, ctx);
    let mut out = BTreeMap::new();
    for field in &item.fields {
        let value = match known.get(field.key.as_str()) {
            Some(value) if field.field_type != FieldType::Enum || field.options.contains(value) => Some(value.clone()),
            Some(_) => Some(rng.pick(&field.options).clone()),
            None if field.required => Some(match field.field_type {
                FieldType::Text => "演示数据".to_owned(),
                FieldType::Date => ctx.decision.to_string(),
                FieldType::Money => "1000.00".to_owned(),
                FieldType::Code => format!("DEMO-{}", rng.between(1, 99_999)),
                FieldType::Enum => rng.pick(&field.options).clone(),
            }),
            None => None,
        };
        if let Some(value) = value {
            out.insert(field.key.clone(), value);
        }
    }
    out
}

/// Yuan as the catalog's money fields take them: digits, mostly with two decimals.
pub fn money(rng: &mut Rng, yuan: i64) -> String {
    if rng.chance(25) {
        yuan.to_string()
    } else {
        format!("{yuan}.00")
    }
}

/// An amount between `low` and `high` yuan, rounded to `step`.
fn amount(rng: &mut Rng, low: i64, high: i64, step: i64) -> i64 {
    (rng.between(low, high) / step).max(1) * step
}

fn doc_no(rng: &mut Rng, abbr: &str, kind: &str, year: i32) -> String {
    format!("{abbr}{kind}〔{year}〕{}号", rng.between(1, 1800))
}

const FOODS: &[&str] =
    &["散装白酒", "鲜湿米粉", "腌腊肉制品", "豆芽", "桶装饮用水", "糕点", "辣椒酱", "鲜猪肉", "茶叶"];
const INDICATORS: &[&str] =
    &["菌落总数", "大肠菌群", "苯甲酸及其钠盐", "二氧化硫残留量", "铅(以Pb计)", "过氧化值", "甜蜜素"];
const PRODUCTS: &[&str] = &["电线电缆", "热轧带肋钢筋", "建筑用瓷砖", "电动自行车", "儿童服装", "燃气灶具", "塑料管材"];
const PROJECTS: &[&str] =
    &["住宅小区一期", "商业综合楼", "中学教学楼", "标准化厂房", "安置房", "农贸市场改造", "市政道路", "医院门诊楼"];
const BANKS: &[&str] =
    &["中国工商银行九江分行", "中国建设银行九江分行", "九江银行", "中国农业银行九江分行", "中国银行九江分行"];

struct Penalty {
    violation: &'static str,
    facts: &'static str,
    basis: &'static str,
    categories: &'static [&'static str],
    /// Suits natural persons as well as organisations.
    people: bool,
}

const fn penalty(
    violation: &'static str,
    facts: &'static str,
    basis: &'static str,
    categories: &'static [&'static str],
    people: bool,
) -> Penalty {
    Penalty { violation, facts, basis, categories, people }
}

const MARKET_PENALTIES: &[Penalty] = &[
    penalty(
        "销售不符合食品安全标准的食品",
        "经抽样检验,当事人销售的{food}中{indicator}项目不符合食品安全国家标准",
        "《中华人民共和国食品安全法》第一百二十四条第一款",
        &["罚款", "没收违法所得"],
        true,
    ),
    penalty(
        "虚假广告",
        "当事人在经营场所及网络平台发布的广告中使用“最佳”“国家级”等用语,对商品功效作虚假宣传",
        "《中华人民共和国广告法》第五十五条第一款",
        &["罚款"],
        false,
    ),
    penalty(
        "未按规定明码标价",
        "当事人在经营场所销售商品时未按规定明码标价",
        "《明码标价和禁止价格欺诈规定》第二十一条",
        &["警告", "罚款"],
        true,
    ),
    penalty(
        "销售不合格产品",
        "经抽样检验,当事人销售的{product}不符合相关国家标准的要求",
        "《中华人民共和国产品质量法》第四十九条",
        &["罚款", "没收违法所得", "没收非法财物"],
        false,
    ),
    penalty(
        "无照经营",
        "当事人未依法取得营业执照,擅自从事经营活动",
        "《无证无照经营查处办法》第十三条",
        &["没收违法所得", "罚款"],
        true,
    ),
    penalty(
        "使用未经检定的计量器具",
        "当事人使用未经检定的电子计价秤从事经营活动",
        "《中华人民共和国计量法实施细则》第四十三条",
        &["警告", "罚款"],
        true,
    ),
    penalty(
        "伪造食品经营许可证件",
        "当事人使用伪造的食品经营许可证从事食品经营活动",
        "《中华人民共和国食品安全法》第一百二十二条",
        &["吊销许可证件", "暂扣许可证件"],
        false,
    ),
];

const TAX_PENALTIES: &[Penalty] = &[
    penalty(
        "逃避缴纳税款",
        "当事人采取少列收入的手段,少缴增值税及附加税费{amount}元",
        "《中华人民共和国税收征收管理法》第六十三条第一款",
        &["罚款"],
        true,
    ),
    penalty(
        "未按期办理纳税申报",
        "当事人未按照规定期限办理纳税申报和报送纳税资料",
        "《中华人民共和国税收征收管理法》第六十二条",
        &["罚款"],
        true,
    ),
    penalty(
        "虚开发票",
        "当事人为他人开具与实际经营业务情况不符的增值税普通发票",
        "《中华人民共和国发票管理办法》第三十五条",
        &["没收违法所得", "罚款"],
        false,
    ),
    penalty(
        "未按规定保管发票",
        "当事人丢失已开具的发票且未按规定向税务机关报告",
        "《中华人民共和国发票管理办法》第三十三条",
        &["警告", "罚款"],
        false,
    ),
];

const ENVIRONMENT_PENALTIES: &[Penalty] = &[
    penalty(
        "超标排放水污染物",
        "经监测,当事人废水总排口化学需氧量浓度超过国家排放标准",
        "《中华人民共和国水污染防治法》第八十三条第二项",
        &["罚款", "责令停产停业"],
        false,
    ),
    penalty(
        "未批先建",
        "当事人建设项目环境影响评价文件未经批准即擅自开工建设",
        "《中华人民共和国环境影响评价法》第三十一条第一款",
        &["罚款"],
        false,
    ),
    penalty(
        "未按规定贮存危险废物",
        "当事人将废矿物油等危险废物露天堆放,未设置危险废物识别标志",
        "《中华人民共和国固体废物污染环境防治法》第一百一十二条",
        &["罚款"],
        false,
    ),
    penalty(
        "超标排放大气污染物",
        "经监测,当事人锅炉废气颗粒物排放浓度超过国家排放标准",
        "《中华人民共和国大气污染防治法》第九十九条第二项",
        &["罚款", "责令停产停业"],
        false,
    ),
];

const CONSTRUCTION_PENALTIES: &[Penalty] = &[
    penalty(
        "未取得施工许可证擅自施工",
        "当事人在未取得施工许可证的情况下擅自组织{project}工程施工",
        "《建筑工程施工许可管理办法》第十二条",
        &["罚款"],
        false,
    ),
    penalty(
        "违反工程建设强制性标准",
        "当事人承建的{project}工程存在违反工程建设强制性标准的质量问题",
        "《建设工程质量管理条例》第六十四条",
        &["罚款", "降低资质等级"],
        false,
    ),
    penalty(
        "未按规定办理竣工验收备案",
        "当事人{project}工程竣工验收合格后未在规定期限内办理备案",
        "《建设工程质量管理条例》第五十六条",
        &["罚款"],
        false,
    ),
];

const LABOUR_PENALTIES: &[Penalty] = &[
    penalty(
        "拖欠劳动者工资",
        "当事人拖欠{workers}名劳动者工资,经责令限期支付后逾期未支付",
        "《保障农民工工资支付条例》第五十四条",
        &["罚款"],
        false,
    ),
    penalty(
        "未依法办理社会保险登记",
        "当事人自用工之日起三十日内未为职工办理社会保险登记",
        "《中华人民共和国社会保险法》第八十四条",
        &["罚款"],
        false,
    ),
    penalty(
        "违法延长劳动者工作时间",
        "当事人安排劳动者延长工作时间超过法定标准",
        "《劳动保障监察条例》第二十五条",
        &["警告", "罚款"],
        false,
    ),
];

const TRANSPORT_PENALTIES: &[Penalty] = &[
    penalty(
        "车辆超限运输",
        "当事人所属货运车辆车货总质量超过公路限定标准",
        "《公路安全保护条例》第六十四条",
        &["罚款"],
        true,
    ),
    penalty(
        "未取得道路运输经营许可从事道路运输经营",
        "当事人未取得道路运输经营许可,擅自从事道路普通货物运输经营",
        "《中华人民共和国道路运输条例》第六十三条",
        &["没收违法所得", "罚款"],
        true,
    ),
    penalty(
        "未按规定检测营运车辆",
        "当事人未按规定对营运车辆进行综合性能检测",
        "《中华人民共和国道路运输条例》第七十条",
        &["警告", "罚款"],
        false,
    ),
];

fn penalties(domain: Domain) -> &'static [Penalty] {
    match domain {
        Domain::Market | Domain::Court => MARKET_PENALTIES,
        Domain::Tax => TAX_PENALTIES,
        Domain::Environment => ENVIRONMENT_PENALTIES,
        Domain::Construction => CONSTRUCTION_PENALTIES,
        Domain::Labour => LABOUR_PENALTIES,
        Domain::Transport => TRANSPORT_PENALTIES,
    }
}

fn fill(rng: &mut Rng, template: &str) -> String {
    template
        .replace("{food}", rng.one_of(FOODS))
        .replace("{indicator}", rng.one_of(INDICATORS))
        .replace("{product}", rng.one_of(PRODUCTS))
        .replace("{project}", rng.one_of(PROJECTS))
        .replace("{workers}", &rng.between(3, 60).to_string())
        .replace("{amount}", &amount(rng, 20_000, 900_000, 100).to_string())
}

/// A licence (certificate) a domain issues: decision document, certificate, category, content, number.
struct Licence {
    doc_name: &'static str,
    certificate: Option<&'static str>,
    category: &'static str,
    content: &'static str,
    /// Issued to natural persons only.
    people: bool,
}

const fn licence(
    doc_name: &'static str,
    certificate: Option<&'static str>,
    category: &'static str,
    content: &'static str,
    people: bool,
) -> Licence {
    Licence { doc_name, certificate, category, content, people }
}

const MARKET_LICENCES: &[Licence] = &[
    licence(
        "食品经营许可决定书",
        Some("食品经营许可证"),
        "普通",
        "预包装食品(含冷藏冷冻食品)销售,散装食品销售,热食类食品制售",
        false,
    ),
    licence("准予设立登记通知书", Some("营业执照"), "登记", "市场主体设立登记", false),
    licence("特种设备使用登记决定书", Some("特种设备使用登记证"), "登记", "乘客电梯使用登记", false),
    licence("食品小摊点登记决定书", Some("食品小摊点登记卡"), "登记", "食品小摊点经营", true),
];

const TAX_LICENCES: &[Licence] =
    &[licence("增值税专用发票最高开票限额审批决定书", None, "普通", "增值税专用发票最高开票限额十万元", false)];

const ENVIRONMENT_LICENCES: &[Licence] =
    &[licence("排污许可决定书", Some("排污许可证"), "普通", "废水、废气污染物排放", false)];

const CONSTRUCTION_LICENCES: &[Licence] = &[
    licence("建筑工程施工许可决定书", Some("建筑工程施工许可证"), "普通", "{project}工程施工", false),
    licence("建筑业企业资质许可决定书", Some("建筑业企业资质证书"), "核准", "建筑工程施工总承包三级", false),
];

const LABOUR_LICENCES: &[Licence] =
    &[licence("劳务派遣行政许可决定书", Some("劳务派遣经营许可证"), "普通", "劳务派遣业务", false)];

const TRANSPORT_LICENCES: &[Licence] = &[
    licence("道路运输经营许可决定书", Some("道路运输经营许可证"), "普通", "道路普通货物运输", false),
    licence("道路运输从业资格许可决定书", Some("道路运输从业资格证"), "认可", "经营性道路货物运输驾驶员", true),
];

fn licences(domain: Domain) -> &'static [Licence] {
    match domain {
        Domain::Market | Domain::Court => MARKET_LICENCES,
        Domain::Tax => TAX_LICENCES,
        Domain::Environment => ENVIRONMENT_LICENCES,
        Domain::Construction => CONSTRUCTION_LICENCES,
        Domain::Labour => LABOUR_LICENCES,
        Domain::Transport => TRANSPORT_LICENCES,
    }
}

/// Picks one of the entries `keep` accepts, or of all when it accepts none.
fn suited<'a, T>(rng: &mut Rng, all: &'a [T], keep: impl Fn(&T) -> bool) -> &'a T {
    let fitting: Vec<&T> = all.iter().filter(|t| keep(t)).collect();
    if fitting.is_empty() {
        rng.pick(all)
    } else {
        fitting[rng.below(fitting.len())]
    }
}

/// The values of the fields each catalog item of the seed defines. One piece: a table, one arm per catalog item, read
/// beside the catalog it follows (migration 000007).
fn known_values(rng: &mut Rng, code: &str, ctx: &Context<'_>) -> BTreeMap<&'static str, String> {
    let mut v: BTreeMap<&'static str, String> = BTreeMap::new();
    let year = ctx.decision.year();
    let natural = ctx.subject.kind == SubjectKind::NaturalPerson;
    v.insert("authority", ctx.unit_name.to_owned());
    if rng.chance(80) {
        v.insert("authority_uscc", ctx.unit_uscc.to_owned());
    }
    if let Some((name, id)) = &ctx.subject.representative {
        if rng.chance(85) {
            v.insert("legal_representative", name.clone());
            v.insert("legal_rep_id", id.clone());
        }
    }
    match code {
        "ADM_LICENCE" => {
            let l = suited(rng, licences(ctx.domain), |l| l.people == natural);
            v.insert("licence_doc_name", l.doc_name.to_owned());
            v.insert("licence_doc_no", doc_no(rng, ctx.abbr, "许", year));
            v.insert("licence_category", l.category.to_owned());
            v.insert("licence_content", fill(rng, l.content));
            if let Some(certificate) = l.certificate {
                v.insert("certificate_name", certificate.to_owned());
                let number = match certificate {
                    "营业执照" => ctx.subject.code.clone(),
                    "排污许可证" => format!("{}001P", ctx.subject.code),
                    "食品经营许可证" => format!("JY1{}{:08}", ctx.unit_region, rng.below(100_000_000)),
                    _ => format!("{}{}{:06}", ctx.unit_region, year, rng.below(1_000_000)),
                };
                v.insert("licence_no", number);
            }
            v.insert("valid_from", ctx.decision.to_string());
            if rng.chance(85) {
                let years = *rng.pick(&[3, 5, 5, 6]);
                let to = ctx.decision + Duration::days(365 * years) - Duration::days(1);
                v.insert("valid_to", to.to_string());
            }
        }
        "ADM_PENALTY" => {
            let p = suited(rng, penalties(ctx.domain), |p| p.people || !natural);
            let category = *rng.pick(p.categories);
            let small = natural || ctx.subject.kind == SubjectKind::IndividualBusiness;
            let fine = if small { amount(rng, 200, 20_000, 100) } else { amount(rng, 2_000, 300_000, 500) };
            let content = match category {
                "警告" => "给予警告".to_owned(),
                "罚款" => {
                    v.insert("fine_amount", money(rng, fine));
                    format!("罚款人民币{fine}元")
                }
                "没收违法所得" | "没收非法财物" => {
                    let confiscated = amount(rng, 300, if small { 30_000 } else { 200_000 }, 10);
                    v.insert("confiscated_amount", money(rng, confiscated));
                    v.insert("fine_amount", money(rng, fine));
                    let what =
                        if category == "没收违法所得" { "违法所得" } else { "非法财物(折合金额)" };
                    format!("没收{what}{confiscated}元,并处罚款人民币{fine}元")
                }
                "责令停产停业" => {
                    v.insert("fine_amount", money(rng, fine));
                    format!("责令停产整治,并处罚款人民币{fine}元")
                }
                "降低资质等级" => {
                    v.insert("fine_amount", money(rng, fine));
                    format!("降低建筑业企业资质等级一级,并处罚款人民币{fine}元")
                }
                "暂扣许可证件" | "吊销许可证件" => {
                    let licence = format!("食品经营许可证(JY1{}{:08})", ctx.unit_region, rng.below(100_000_000));
                    let content = if category == "暂扣许可证件" {
                        format!("暂扣{licence}三个月")
                    } else {
                        format!("吊销{licence}")
                    };
                    v.insert("licence_affected", licence);
                    content
                }
                other => other.to_owned(),
            };
            v.insert("penalty_doc_no", doc_no(rng, ctx.abbr, "罚", year));
            v.insert("violation_type", p.violation.to_owned());
            v.insert("violation_facts", fill(rng, p.facts));
            v.insert("legal_basis", p.basis.to_owned());
            v.insert("penalty_category", category.to_owned());
            v.insert("penalty_content", content);
            if rng.chance(70) {
                v.insert("address", ctx.subject.address.clone());
            }
        }
        "ADM_COERCION" => {
            let (kind, reason, content) = match ctx.domain {
                Domain::Tax => {
                    let owed = amount(rng, 5_000, 600_000, 10);
                    (
                        "冻结存款、汇款",
                        format!("当事人欠缴税款{owed}元,经责令限期缴纳,逾期仍未缴纳"),
                        format!("冻结当事人在{}的存款{owed}元", rng.pick(BANKS)),
                    )
                }
                Domain::Environment => (
                    "查封场所、设施或者财物",
                    "当事人违法排放污染物,造成或者可能造成严重污染".to_owned(),
                    "查封废水处理设施及相关生产设备".to_owned(),
                ),
                Domain::Transport => (
                    "扣押财物",
                    "当事人涉嫌未取得道路运输经营许可从事道路运输经营".to_owned(),
                    "扣押涉案营运车辆一辆".to_owned(),
                ),
                _ => {
                    let food = rng.pick(FOODS);
                    (
                        *rng.pick(&["扣押财物", "查封场所、设施或者财物"]),
                        format!("当事人涉嫌经营不符合食品安全标准的{food}"),
                        format!("扣押涉案{food}{}件", rng.between(5, 300)),
                    )
                }
            };
            v.insert("coercion_doc_no", doc_no(rng, ctx.abbr, "强", year));
            v.insert("coercion_type", kind.to_owned());
            v.insert("coercion_reason", reason);
            v.insert("coercion_content", content);
        }
        "COMMENDATION" => {
            let county = ctx.unit_region != "360400";
            let (name, level) = match ctx.domain {
                Domain::Labour if natural => *rng.pick(&[("九江市劳动模范", "市级"), ("江西省五一劳动奖章", "省级")]),
                Domain::Labour => ("劳动保障守法诚信示范单位", *rng.pick(&["省级", "市级"])),
                Domain::Construction => {
                    *rng.pick(&[("江西省优质建设工程杜鹃花奖", "省级"), ("九江市建筑业诚信企业", "市级")])
                }
                Domain::Transport => ("诚信道路运输企业", "市级"),
                Domain::Environment => ("环保诚信企业", *rng.pick(&["省级", "市级"])),
                Domain::Tax => ("纳税信用示范企业", "市级"),
                _ if ctx.subject.kind == SubjectKind::IndividualBusiness => {
                    ("诚信经营示范店", if county { "县级" } else { "市级" })
                }
                _ if county => ("守合同重信用企业", "县级"),
                _ => ("守合同重信用企业", *rng.pick(&["省级", "市级"])),
            };
            v.insert("honour_name", name.to_owned());
            v.insert("honour_level", level.to_owned());
            if rng.chance(80) {
                v.insert("honour_doc_no", doc_no(rng, ctx.abbr, "字", year));
            }
            if rng.chance(60) {
                v.insert("valid_to", (ctx.decision + Duration::days(365 * 2)).to_string());
            }
        }
        "SERIOUS_DISHONESTY" => {
            let (list, reason, basis, doc, measures) = match ctx.domain {
                Domain::Court => (
                    "失信被执行人名单",
                    "有履行能力而拒不履行生效法律文书确定的给付义务".to_owned(),
                    "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条第一项",
                    format!("({year}){}执{}号", ctx.abbr, rng.between(1, 3000)),
                    "限制高消费;限制乘坐飞机、列车软卧;限制参与政府采购",
                ),
                Domain::Tax => (
                    "重大税收违法失信主体名单",
                    format!("逃避缴纳税款{}元,且占各税种应纳税总额百分之十以上", amount(rng, 100_000, 5_000_000, 100)),
                    "《重大税收违法失信主体信息公布管理办法》第六条第一项",
                    doc_no(rng, ctx.abbr, "稽处", year),
                    "纳税信用级别直接判为D级,依法实施联合惩戒",
                ),
                Domain::Labour => (
                    "拖欠农民工工资失信联合惩戒对象名单",
                    format!("拖欠{}名农民工工资,数额达到认定拒不支付劳动报酬罪数额标准", rng.between(10, 120)),
                    "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条",
                    doc_no(rng, ctx.abbr, "失信", year),
                    "限制参与政府采购、招标投标,限制高消费",
                ),
                _ => (
                    "市场监督管理严重违法失信名单",
                    rng.pick(&[
                        "因食品安全违法行为受到较重行政处罚且性质恶劣",
                        "提交虚假材料取得市场主体登记,情节严重",
                    ])
                    .to_string(),
                    "《市场监督管理严重违法失信名单管理办法》第九条",
                    doc_no(rng, ctx.abbr, "失信", year),
                    "限制参与政府采购、招标投标,不予授予荣誉称号",
                ),
            };
            v.insert("list_name", list.to_owned());
            v.insert("listing_reason", reason);
            v.insert("listing_basis", basis.to_owned());
            v.insert("listing_doc_no", doc);
            v.insert("measures", measures.to_owned());
        }
        "ABNORMAL_OPERATION" => {
            let reasons = [
                "未按照规定期限公示年度报告",
                "未按照规定期限公示年度报告",
                "未按照规定期限公示年度报告",
                "通过登记的住所或者经营场所无法联系",
                "未在责令期限内公示有关企业信息",
                "公示企业信息隐瞒真实情况、弄虚作假",
            ];
            let reason = *rng.pick(&reasons);
            v.insert("listing_reason", reason.to_owned());
            v.insert("listing_doc_no", doc_no(rng, ctx.abbr, "异", year));
            if reason.contains("无法联系") {
                v.insert("address", ctx.subject.address.clone());
            }
        }
        "COURT_JUDGMENT" => {
            let case_type = *rng.pick(&["民事", "民事", "民事", "执行", "执行", "行政", "刑事"]);
            let sum = amount(rng, 3_000, 2_000_000, 100);
            let (mark, summary, with_amount) = match case_type {
                "民事" => {
                    let dispute = rng.pick(&["买卖合同纠纷", "民间借贷纠纷", "建设工程施工合同纠纷", "租赁合同纠纷"]);
                    (
                        *rng.pick(&["民初", "民终"]),
                        format!("{dispute}一案,判决被告于判决生效之日起十日内支付{sum}元及相应利息"),
                        true,
                    )
                }
                "执行" => ("执", format!("申请执行人与被执行人合同纠纷执行一案,执行标的{sum}元"), true),
                "行政" => ("行初", "原告诉行政机关行政处罚一案,判决驳回原告诉讼请求".to_owned(), false),
                _ if natural => {
                    let years = rng.between(1, 5);
                    (
                        "刑初",
                        format!("被告人犯诈骗罪,判处有期徒刑{years}年,并处罚金{}元", amount(rng, 5_000, 50_000, 1000)),
                        false,
                    )
                }
                _ => ("刑初", format!("被告单位犯污染环境罪,判处罚金{sum}元"), true),
            };
            v.insert("case_no", format!("({year}){}{mark}{}号", ctx.abbr, rng.between(1, 6000)));
            v.insert("court", ctx.unit_name.to_owned());
            v.insert("case_type", case_type.to_owned());
            v.insert("judgment_summary", summary);
            if with_amount {
                v.insert("amount", money(rng, sum));
            }
            if matches!(case_type, "民事" | "执行") {
                v.insert("execution_status", rng.pick(&["未履行", "部分履行", "全部履行"]).to_string());
            }
        }
        "CREDIT_COMMITMENT" => {
            let matter = match ctx.domain {
                Domain::Tax => "增值税发票领用",
                Domain::Construction => "建筑工程施工许可",
                Domain::Environment => "排污许可",
                Domain::Labour => "劳务派遣经营许可",
                Domain::Transport => "道路运输经营许可",
                _ => "食品经营许可",
            };
            let kind = *rng.pick(&["审批替代型", "容缺受理型", "行业自律型", "主动型", "其他"]);
            let content = match kind {
                "审批替代型" => format!("申请人承诺符合{matter}条件,领取证照后三个月内补齐相关材料;如有虚假或未履行承诺,愿意承担撤销许可等法律责任"),
                "容缺受理型" => format!("申请人承诺在{}个工作日内补齐{matter}容缺材料", rng.between(5, 20)),
                "行业自律型" => format!("承诺依法诚信经营,遵守{}行业自律公约,自觉接受社会监督", ctx.subject.industry),
                "主动型" => "主动承诺守法诚信经营,不制售假冒伪劣商品,不拖欠员工工资,不偷税漏税".to_owned(),
                _ => format!("承诺办理{matter}所提交的申请材料真实、合法、有效"),
            };
            let fulfilment = ["已履约", "履约中", "未履约"][rng.weighted(&[55, 40, 5])];
            v.insert("commitment_type", kind.to_owned());
            v.insert("commitment_content", content);
            v.insert("commitment_date", ctx.decision.to_string());
            if rng.chance(80) {
                v.insert("fulfilment", fulfilment.to_owned());
            }
            if rng.chance(60) {
                v.insert("contact_phone", codes::mobile(rng));
            }
        }
        "CREDIT_EVALUATION" => {
            let industry = match ctx.domain {
                Domain::Construction => "建筑业",
                Domain::Transport => "交通运输、仓储和邮政业",
                _ => names::industry_section(ctx.subject.industry),
            };
            let grade = ["A", "B", "C", "D"][rng.weighted(&[30, 45, 15, 10])];
            v.insert("evaluation_body", ctx.unit_name.to_owned());
            v.insert("industry", industry.to_owned());
            v.insert("evaluation_year", (year - 1).to_string());
            v.insert("grade", grade.to_owned());
            if rng.chance(75) {
                v.insert("evaluation_doc_no", doc_no(rng, ctx.abbr, "公告", year));
            }
        }
        _ => {}
    }
    v
}
