//! The city's organisation chart and shift types, scaled from a template of the source city.

use crate::model::{
    Department, Id, OpeningPattern, Organisation, Qualification, Section, ShiftKind, ShiftType,
    Unit, WorkplaceCategory as C,
};
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

/// What kind of place a unit is, which decides its shifts, staff and demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// A Monday–Friday office.
    Office,
    /// The front-line counter, also open on some Saturdays in the moving season.
    Counter,
    /// A nursery with early, middle and late shifts.
    Nursery,
    /// A library site, closed Mondays and open weekends.
    Library,
    /// The water plant's 24-hour monitoring room.
    Plant,
}

/// A unit of the template, with its regular headcount in the 500-staff city.
pub struct UnitTemplate {
    /// Name.
    pub name: &'static str,
    /// Categories.
    pub categories: &'static [C],
    /// Kind.
    pub kind: UnitKind,
    /// Regular staff in the template city.
    pub weight: u32,
    /// Qualification most of its staff hold.
    pub qualification: Option<&'static str>,
    /// Designated high-load (他律的業務).
    pub high_load: bool,
}

const fn u(name: &'static str, categories: &'static [C], weight: u32) -> UnitTemplate {
    UnitTemplate {
        name,
        categories,
        kind: UnitKind::Office,
        weight,
        qualification: None,
        high_load: false,
    }
}

const fn q(mut t: UnitTemplate, qualification: &'static str) -> UnitTemplate {
    t.qualification = Some(qualification);
    t
}

const fn k(mut t: UnitTemplate, kind: UnitKind) -> UnitTemplate {
    t.kind = kind;
    t
}

const fn hl(mut t: UnitTemplate) -> UnitTemplate {
    t.high_load = true;
    t
}

const ADM: &[C] = &[C::InternalAdministration];
const PLAN: &[C] = &[C::PlanningProjects];
const FRONT: &[C] = &[C::FrontLine];
const WELF: &[C] = &[C::WelfareHealth];
const WELF_FRONT: &[C] = &[C::WelfareHealth, C::FrontLine];
const TECH: &[C] = &[C::Technical];
const FAC: &[C] = &[C::Facility];
const FAC_WELF: &[C] = &[C::Facility, C::WelfareHealth];

/// A section of the template: its name and its units.
pub type SectionTemplate = (&'static str, &'static [UnitTemplate]);

/// A department of the template: its name and its sections.
pub type DepartmentTemplate = (&'static str, &'static [SectionTemplate]);

/// The template: 8 departments, 35 sections, 90 units, about 500 regular staff.
pub const TEMPLATE: &[DepartmentTemplate] = &[
    (
        "総務部",
        &[
            (
                "総務課",
                &[
                    u("総務係", ADM, 6),
                    u("法制文書係", ADM, 4),
                    u("秘書係", ADM, 3),
                    u("統計係", ADM, 3),
                ],
            ),
            (
                "人事課",
                &[
                    u("人事係", ADM, 5),
                    u("給与厚生係", ADM, 4),
                    u("研修係", ADM, 2),
                    u("職員厚生係", ADM, 2),
                ],
            ),
            ("財政課", &[hl(u("財政係", ADM, 6)), u("管財係", ADM, 4)]),
            (
                "危機管理課",
                &[hl(u("防災係", PLAN, 5)), u("交通安全係", FRONT, 3)],
            ),
            (
                "情報政策課",
                &[
                    q(u("情報システム係", TECH, 6), Qualification::IT_SPECIALIST),
                    u("デジタル推進係", PLAN, 3),
                ],
            ),
            ("議会事務局", &[u("議事係", ADM, 4), u("調査係", PLAN, 2)]),
        ],
    ),
    (
        "企画部",
        &[
            (
                "企画課",
                &[
                    u("企画調整係", PLAN, 5),
                    u("広報広聴係", PLAN, 4),
                    u("政策推進係", PLAN, 3),
                ],
            ),
            (
                "地域振興課",
                &[u("地域づくり係", PLAN, 4), u("移住定住係", PLAN, 3)],
            ),
            (
                "税務課",
                &[
                    hl(u("市民税係", FRONT, 7)),
                    u("資産税係", TECH, 6),
                    u("収納係", FRONT, 7),
                ],
            ),
            ("契約検査課", &[u("契約係", ADM, 4), u("検査係", TECH, 3)]),
        ],
    ),
    (
        "市民部",
        &[
            (
                "市民課",
                &[
                    k(u("窓口係", FRONT, 9), UnitKind::Counter),
                    u("戸籍係", FRONT, 6),
                    u("住民記録係", FRONT, 5),
                    u("証明係", FRONT, 4),
                ],
            ),
            (
                "保険年金課",
                &[
                    u("国保係", FRONT, 6),
                    u("年金係", FRONT, 4),
                    u("医療給付係", WELF_FRONT, 5),
                ],
            ),
            (
                "環境対策課",
                &[
                    u("環境保全係", TECH, 4),
                    u("生活衛生係", FRONT, 4),
                    u("廃棄物対策係", TECH, 4),
                ],
            ),
            (
                "市民協働課",
                &[u("協働推進係", PLAN, 3), u("男女共同参画係", PLAN, 2)],
            ),
        ],
    ),
    (
        "福祉部",
        &[
            (
                "福祉政策課",
                &[u("福祉総務係", WELF, 5), u("障害福祉係", WELF_FRONT, 6)],
            ),
            (
                "子育て支援課",
                &[
                    u("子育て支援係", WELF_FRONT, 6),
                    u("保育係", WELF, 4),
                    u("家庭児童相談係", WELF, 3),
                ],
            ),
            (
                "高齢介護課",
                &[u("介護保険係", WELF_FRONT, 7), u("高齢福祉係", WELF, 5)],
            ),
            (
                "生活福祉課",
                &[q(u("保護係", WELF_FRONT, 8), Qualification::SOCIAL_WORKER)],
            ),
            (
                "健康推進課",
                &[
                    q(u("保健指導係", WELF, 8), Qualification::PUBLIC_HEALTH_NURSE),
                    u("予防係", WELF, 4),
                    q(u("母子保健係", WELF, 4), Qualification::PUBLIC_HEALTH_NURSE),
                ],
            ),
            (
                "保育所",
                &[
                    q(
                        k(u("中央保育所", FAC_WELF, 14), UnitKind::Nursery),
                        Qualification::CHILDCARE_WORKER,
                    ),
                    q(
                        k(u("東保育所", FAC_WELF, 11), UnitKind::Nursery),
                        Qualification::CHILDCARE_WORKER,
                    ),
                ],
            ),
        ],
    ),
    (
        "経済部",
        &[
            (
                "商工観光課",
                &[
                    u("商工労政係", PLAN, 5),
                    u("観光振興係", PLAN, 5),
                    u("企業誘致係", PLAN, 3),
                ],
            ),
            (
                "農林水産課",
                &[
                    u("農政係", PLAN, 6),
                    u("農地整備係", TECH, 4),
                    u("林務水産係", TECH, 4),
                ],
            ),
            ("農業委員会事務局", &[u("農地係", ADM, 3)]),
        ],
    ),
    (
        "建設部",
        &[
            (
                "土木課",
                &[
                    q(u("道路係", TECH, 8), Qualification::CIVIL_ENGINEER),
                    q(u("河川係", TECH, 5), Qualification::CIVIL_ENGINEER),
                    u("用地係", ADM, 4),
                ],
            ),
            (
                "都市計画課",
                &[
                    u("都市計画係", PLAN, 5),
                    q(u("建築指導係", TECH, 5), Qualification::ARCHITECT),
                    u("景観係", PLAN, 2),
                ],
            ),
            (
                "建築住宅課",
                &[
                    q(u("営繕係", TECH, 5), Qualification::ARCHITECT),
                    u("市営住宅係", FRONT, 4),
                ],
            ),
            (
                "維持管理課",
                &[
                    q(u("維持係", TECH, 6), Qualification::CIVIL_ENGINEER),
                    u("公園係", TECH, 4),
                ],
            ),
        ],
    ),
    (
        "上下水道部",
        &[
            ("水道総務課", &[u("経営係", ADM, 4), u("料金係", FRONT, 5)]),
            (
                "水道工務課",
                &[
                    q(u("配水係", TECH, 6), Qualification::CIVIL_ENGINEER),
                    q(u("給水係", TECH, 4), Qualification::CIVIL_ENGINEER),
                ],
            ),
            (
                "浄水場",
                &[
                    q(
                        k(u("監視室", FAC, 8), UnitKind::Plant),
                        Qualification::PLANT_OPERATOR,
                    ),
                    u("水質管理係", TECH, 4),
                ],
            ),
            (
                "下水道課",
                &[
                    q(u("下水道整備係", TECH, 5), Qualification::CIVIL_ENGINEER),
                    u("下水道業務係", ADM, 3),
                    q(u("排水設備係", TECH, 3), Qualification::CIVIL_ENGINEER),
                ],
            ),
        ],
    ),
    (
        "教育部",
        &[
            ("教育総務課", &[u("総務係", ADM, 5), u("施設係", TECH, 4)]),
            (
                "学校教育課",
                &[
                    u("学務係", FRONT, 5),
                    u("指導係", PLAN, 4),
                    u("教育相談係", WELF, 3),
                ],
            ),
            (
                "生涯学習課",
                &[
                    u("生涯学習係", PLAN, 4),
                    u("スポーツ振興係", PLAN, 4),
                    u("文化財係", PLAN, 3),
                    u("青少年係", PLAN, 2),
                ],
            ),
            (
                "図書館",
                &[
                    q(
                        k(u("中央図書館", FAC, 9), UnitKind::Library),
                        Qualification::LIBRARIAN,
                    ),
                    q(
                        k(u("北図書館", FAC, 4), UnitKind::Library),
                        Qualification::LIBRARIAN,
                    ),
                    q(
                        k(u("南図書館", FAC, 4), UnitKind::Library),
                        Qualification::LIBRARIAN,
                    ),
                ],
            ),
            ("給食センター", &[u("給食係", FAC, 5)]),
        ],
    ),
];

/// Regular staff of the city the template describes.
const TEMPLATE_STAFF: u32 = 500;

/// Shift ids, one constant each so the generator never mistypes one.
pub mod shift {
    /// The standard office day 08:30–17:15.
    pub const DAY: &str = "day";
    /// Staggered early start 07:30–16:15 (時差出勤).
    pub const DAY_EARLY: &str = "day_early";
    /// Staggered late start 10:00–18:45 (時差出勤).
    pub const DAY_LATE: &str = "day_late";
    /// Childcare short hours 08:30–15:15 (育児短時間勤務).
    pub const SHORT_DAY: &str = "short_day";
    /// A fiscal-year appointee's part-time day 09:00–16:00.
    pub const PART_DAY: &str = "part_day";
    /// Nursery early 07:00–15:45.
    pub const NURSERY_EARLY: &str = "nursery_early";
    /// Nursery middle 08:30–17:15.
    pub const NURSERY_MIDDLE: &str = "nursery_middle";
    /// Nursery late 10:15–19:00.
    pub const NURSERY_LATE: &str = "nursery_late";
    /// Library day 08:30–17:15.
    pub const LIBRARY_DAY: &str = "library_day";
    /// Library late 11:15–20:00.
    pub const LIBRARY_LATE: &str = "library_late";
    /// Plant day 08:30–20:30.
    pub const PLANT_DAY: &str = "plant_day";
    /// Plant night 20:30–08:30 (crosses midnight).
    pub const PLANT_NIGHT: &str = "plant_night";
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

/// Every shift type of the city.
pub fn shift_types() -> Vec<ShiftType> {
    let s = |id: &str,
             name: &str,
             start: NaiveTime,
             end: NaiveTime,
             break_minutes: u32,
             kind: ShiftKind| ShiftType {
        id: Id::new(id),
        name: name.to_string(),
        start,
        end,
        break_minutes,
        kind,
    };
    use shift::*;
    vec![
        s(DAY, "日勤", t(8, 30), t(17, 15), 60, ShiftKind::Day),
        s(
            DAY_EARLY,
            "時差出勤(早)",
            t(7, 30),
            t(16, 15),
            60,
            ShiftKind::Day,
        ),
        s(
            DAY_LATE,
            "時差出勤(遅)",
            t(10, 0),
            t(18, 45),
            60,
            ShiftKind::Day,
        ),
        s(
            SHORT_DAY,
            "育児短時間",
            t(8, 30),
            t(15, 15),
            45,
            ShiftKind::Day,
        ),
        s(
            PART_DAY,
            "会計年度(短)",
            t(9, 0),
            t(16, 0),
            60,
            ShiftKind::Day,
        ),
        s(
            NURSERY_EARLY,
            "保育早番",
            t(7, 0),
            t(15, 45),
            60,
            ShiftKind::Early,
        ),
        s(
            NURSERY_MIDDLE,
            "保育中番",
            t(8, 30),
            t(17, 15),
            60,
            ShiftKind::Day,
        ),
        s(
            NURSERY_LATE,
            "保育遅番",
            t(10, 15),
            t(19, 0),
            60,
            ShiftKind::Late,
        ),
        s(
            LIBRARY_DAY,
            "図書館日勤",
            t(8, 30),
            t(17, 15),
            60,
            ShiftKind::Day,
        ),
        s(
            LIBRARY_LATE,
            "図書館遅番",
            t(11, 15),
            t(20, 0),
            60,
            ShiftKind::Late,
        ),
        s(
            PLANT_DAY,
            "浄水場日勤",
            t(8, 30),
            t(20, 30),
            60,
            ShiftKind::Day,
        ),
        s(
            PLANT_NIGHT,
            "浄水場夜勤",
            t(20, 30),
            t(8, 30),
            60,
            ShiftKind::Night,
        ),
    ]
}

/// The shifts a kind of unit runs, in the order the roster builder fills them each day.
pub fn unit_shifts(kind: UnitKind) -> &'static [&'static str] {
    use shift::*;
    match kind {
        UnitKind::Office | UnitKind::Counter => &[DAY, DAY_EARLY, DAY_LATE, SHORT_DAY, PART_DAY],
        UnitKind::Nursery => &[NURSERY_EARLY, NURSERY_MIDDLE, NURSERY_LATE, SHORT_DAY],
        UnitKind::Library => &[LIBRARY_DAY, LIBRARY_LATE, SHORT_DAY, PART_DAY],
        UnitKind::Plant => &[PLANT_DAY, PLANT_NIGHT],
    }
}

/// The opening pattern of a kind of unit in a fiscal year.
pub fn opening(kind: UnitKind, fiscal_year: i32) -> OpeningPattern {
    use Weekday::*;
    match kind {
        UnitKind::Office => OpeningPattern::office(),
        UnitKind::Counter => OpeningPattern {
            extra_open_dates: moving_season_saturdays(fiscal_year),
            ..OpeningPattern::office()
        },
        UnitKind::Nursery => OpeningPattern {
            weekdays: vec![Mon, Tue, Wed, Thu, Fri, Sat],
            ..OpeningPattern::office()
        },
        UnitKind::Library => OpeningPattern {
            weekdays: vec![Tue, Wed, Thu, Fri, Sat, Sun],
            open_on_holidays: true,
            year_end_closure: true,
            extra_open_dates: Vec::new(),
            closed_dates: Vec::new(),
        },
        UnitKind::Plant => OpeningPattern {
            weekdays: vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun],
            open_on_holidays: true,
            year_end_closure: false,
            extra_open_dates: Vec::new(),
            closed_dates: Vec::new(),
        },
    }
}

/// Saturdays of late March and early April, when the counter opens for people moving house.
fn moving_season_saturdays(fiscal_year: i32) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    for (year, month, days) in [(fiscal_year, 4, 1..=14), (fiscal_year + 1, 3, 18..=31)] {
        for day in days {
            if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
                if d.weekday() == Weekday::Sat {
                    dates.push(d);
                }
            }
        }
    }
    dates
}

/// One generated unit with what the rest of the generator needs to know about it.
pub struct UnitPlan {
    /// Index in `organisation.units`.
    pub index: usize,
    /// Kind.
    pub kind: UnitKind,
    /// Regular headcount.
    pub regulars: u32,
    /// Qualification its staff hold, if any.
    pub qualification: Option<&'static str>,
    /// First unit of its section (the section manager's desk).
    pub heads_section: bool,
    /// First unit of its department (the director's desk).
    pub heads_department: bool,
}

/// Builds the organisation for `regular_staff` regulars: the template replicated as often as the
/// size needs, each unit's headcount in proportion to its template weight.
pub fn build(regular_staff: u32, fiscal_year: i32) -> (Organisation, Vec<UnitPlan>) {
    // The template is the source city; larger cities repeat it as further districts.
    let copies = ((regular_staff + TEMPLATE_STAFF / 2) / TEMPLATE_STAFF).max(1);
    let mut org = Organisation::default();
    let mut plans = Vec::new();
    let mut weights = Vec::new();
    for copy in 0..copies {
        let suffix = if copy == 0 {
            String::new()
        } else {
            format!("・第{}地区", copy + 1)
        };
        for (dname, sections) in TEMPLATE.iter() {
            let department = org.departments.len();
            org.departments.push(Department {
                id: Id::new(format!("D{:03}", department + 1)),
                name: format!("{dname}{suffix}"),
            });
            for (s, (sname, units)) in sections.iter().enumerate() {
                let section = org.sections.len();
                let section_id = Id::new(format!("S{:04}", section + 1));
                org.sections.push(Section {
                    id: section_id.clone(),
                    name: format!("{sname}{suffix}"),
                    department: org.departments[department].id.clone(),
                });
                for (i, tpl) in units.iter().enumerate() {
                    let index = org.units.len();
                    let required = match tpl.kind {
                        UnitKind::Nursery | UnitKind::Plant => tpl
                            .qualification
                            .map(Qualification::new)
                            .into_iter()
                            .collect(),
                        _ => Vec::new(),
                    };
                    org.units.push(Unit {
                        id: Id::new(format!("U{:05}", index + 1)),
                        name: format!("{}{suffix}", tpl.name),
                        section: section_id.clone(),
                        categories: tpl.categories.to_vec(),
                        shift_run: !matches!(tpl.kind, UnitKind::Office | UnitKind::Counter),
                        high_load: tpl.high_load,
                        shifts: unit_shifts(tpl.kind).iter().map(Id::new).collect(),
                        opening: opening(tpl.kind, fiscal_year),
                        quota: Vec::new(),
                        required_qualifications: required,
                    });
                    weights.push(tpl.weight);
                    plans.push(UnitPlan {
                        index,
                        kind: tpl.kind,
                        regulars: 0,
                        qualification: tpl.qualification,
                        heads_section: i == 0,
                        heads_department: s == 0 && i == 0,
                    });
                }
            }
        }
    }
    // Share the regulars out by weight, largest remainder first, so the total is exact.
    let total_weight: u64 = weights.iter().map(|&w| w as u64).sum();
    let mut shares: Vec<(u64, usize)> = Vec::with_capacity(plans.len());
    let mut given = 0u32;
    for (i, &w) in weights.iter().enumerate() {
        let exact = regular_staff as u64 * w as u64;
        plans[i].regulars = (exact / total_weight) as u32;
        given += plans[i].regulars;
        shares.push((exact % total_weight, i));
    }
    shares.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in shares.iter().take((regular_staff - given) as usize) {
        plans[i].regulars += 1;
    }
    (org, plans)
}
