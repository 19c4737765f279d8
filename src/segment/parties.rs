//! Responsible parties: one entry per party from a responsibility cell or an
//! `Ansvar:` value.
//!
//! The rule (SPEC, zoo README): parties are separated by line breaks, `,`,
//! `;`, `/` and the word `og` between separate parties. Not separators: a
//! line that wraps inside a party (it starts in lowercase, or the line before
//! ends in `og`, `for`, `-`, `,`...), `og` inside a unit's name (`Seksjon for
//! forsking og utvikling`), `og` after a suspended compound (`Fag- og
//! kvalitetsdirektør`) and anything inside parentheses.

use super::vocab;
use crate::layout::Line;
use crate::text::{clean, join_lines, strip_bullet};

/// Splits the printed lines of a responsibility cell into parties.
pub fn split_lines(lines: &[Line], column_width: Option<f32>) -> Vec<String> {
    let lines: Vec<&Line> = lines
        .iter()
        .filter(|l| {
            let t = l.text.trim();
            !(t.is_empty() || vocab::is_responsible_header(t) && t.split_whitespace().count() == 1)
        })
        .collect();
    // A single word as wide as the cell may be a word the column broke; so
    // may a long single word followed by a line that opens with a lone
    // definite ending (`Personvernombud` / `et og`): a party name never
    // holds an article.
    let mut hints = super::measure::split_hints_within(&lines, column_width);
    for (i, hint) in hints.iter_mut().enumerate() {
        let word = lines[i].text.trim();
        let next = lines.get(i + 1).and_then(|l| l.text.split_whitespace().next()).unwrap_or("");
        let long_word = !word.contains(' ') && word.chars().count() >= 8 && word.chars().all(char::is_alphabetic);
        *hint |= long_word && vocab::DEFINITE_ENDINGS.contains(&next.trim_end_matches(','));
    }
    let widest = column_width.unwrap_or_else(|| lines.iter().map(|l| super::measure::line_width(l)).fold(0.0f32, f32::max));
    let mut groups: Vec<(Vec<String>, Vec<bool>)> = Vec::new();
    for (k, (line, hint)) in lines.iter().zip(hints).enumerate() {
        let t = line.text.trim();
        let t = strip_bullet(t).unwrap_or(t).trim().to_string();
        // `Samhandlingsdirektør og KS` filling the column, then `Agder`: the
        // column wrapped the last party's name; a word that names a role or
        // unit (`Forskningsavdelingen`) is a party of its own.
        let wrapped_name = k.checked_sub(1).map(|p| lines[p]).is_some_and(|prev| {
            let p = prev.text.trim();
            let full = widest > 0.0 && super::measure::line_width(prev) >= 0.85 * widest;
            let mid_line_party = p.contains(" og ") && !p.ends_with([',', ';', '/']) && !vocab::ends_open(p);
            let lower = t.to_lowercase();
            full && mid_line_party && !t.contains(' ') && !vocab::PARTY_STEMS.iter().any(|s| lower.contains(s))
        });
        let continues = wrapped_name
            || groups.last().is_some_and(|(g, _)| {
                let prev = g.join(" ");
                let prev = prev.trim_end();
                let open_paren = prev.matches('(').count() > prev.matches(')').count();
                let first = t.chars().next().unwrap_or(' ');
                open_paren || first.is_lowercase() || matches!(first, '(' | ')' | ',' | '/' | ';') || vocab::ends_open(prev)
            });
        match groups.last_mut() {
            Some((g, h)) if continues => {
                g.push(t);
                h.push(hint);
            }
            _ => groups.push((vec![t], vec![hint])),
        }
    }
    groups.iter().flat_map(|(g, h)| split_value(&join_lines(g, h))).collect()
}

/// Splits one run-on value (`FoU-avdelingen, Seksjon for innovasjon og
/// næringslivssamarbeid`) into parties.
pub fn split_value(value: &str) -> Vec<String> {
    let value = clean(value);
    let value = value.trim_end_matches(['.', ';', ',']).trim();
    if names_levels(value) {
        return vec![value.to_string()];
    }
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, ',' | ';' | '/') {
            // `/` inside a word pair without spaces (`FoU/innovasjon`) still separates parties.
            push_part(&mut parts, &current);
            current.clear();
            i += 1;
            continue;
        }
        if depth <= 0 && c == ' ' && starts_with_word(&chars[i + 1..], "og") && chars.get(i + 3) == Some(&' ') {
            let right: String = chars[i + 4..].iter().collect();
            if og_separates(&current, &right) {
                push_part(&mut parts, &current);
                current.clear();
                i += 4;
                continue;
            }
        }
        current.push(c);
        i += 1;
    }
    push_part(&mut parts, &current);
    parts
}

/// `Klinikk/Avdeling`, `Klinikken/Forskningsleder/FU`: a slash right after a
/// bare organisational level names the level that holds one responsibility
/// (the clinic or the department), not a list of parties.
fn names_levels(value: &str) -> bool {
    let Some((first, _)) = value.split_once('/') else { return false };
    let first = first.to_lowercase();
    !first.contains(' ') && vocab::ORGANISATIONAL_LEVELS.contains(&first.as_str())
}

fn push_part(parts: &mut Vec<String>, s: &str) {
    let t = clean(s);
    let t = t.trim_matches(|c: char| c == '.' || c == ',' || c.is_whitespace());
    if !t.is_empty() {
        parts.push(t.to_string());
    }
}

fn starts_with_word(chars: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.len() >= w.len() && chars[..w.len()] == w[..]
}

/// A word that names a party (unit, role, body) starts the text.
fn starts_with_party_word(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
    vocab::PARTY_STEMS.iter().any(|p| first.contains(p))
}

/// Whether `og` between `left` and `right` separates two parties: not after
/// a suspended compound (`Fag- og`), and when the right side is lowercase,
/// only if it names a party itself (`og klinikkdirektørane`, not `og rus`).
fn og_separates(left: &str, right: &str) -> bool {
    let left = left.trim_end();
    if left.is_empty() || left.ends_with('-') {
        return false;
    }
    let first = right.chars().next().unwrap_or(' ');
    if first.is_uppercase() {
        return true;
    }
    // `Seksjon for forsking og utvikling`: the name of a unit joins topics with `og`.
    let unit_name = left.split_whitespace().any(|w| w == "for");
    let party = starts_with_party_word(right);
    party && (!unit_name || right_is_whole_party(right))
}

/// The right side of `og` is a party of its own: a party word that is the
/// whole rest (`klinikkdirektørane`) rather than the start of a topic.
fn right_is_whole_party(right: &str) -> bool {
    right.split_whitespace().count() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(ts: &[&str]) -> Vec<Line> {
        ts.iter().map(|t| Line::plain(*t)).collect()
    }

    #[test]
    fn separators_and_names_that_hold_og() {
        let cases: &[(&str, &[&str])] = &[
            ("FoU-avdelingen, Seksjon for innovasjon og næringslivssamarbeid", &["FoU-avdelingen", "Seksjon for innovasjon og næringslivssamarbeid"]),
            ("Seksjon for forsking og utvikling og klinikkdirektørane", &["Seksjon for forsking og utvikling", "klinikkdirektørane"]),
            ("Klinikk for psykisk helse og rus", &["Klinikk for psykisk helse og rus"]),
            ("Fag- og kvalitetsdirektør", &["Fag- og kvalitetsdirektør"]),
            ("Klinikkledere / forskningsdirektør", &["Klinikkledere", "forskningsdirektør"]),
            ("Seksjon for forskningsstøtte/Sykehuspartner", &["Seksjon for forskningsstøtte", "Sykehuspartner"]),
            ("FoU-avdelingen og Universitetet i Agder", &["FoU-avdelingen", "Universitetet i Agder"]),
            ("Administrerende direktør, HR-direktør og klinikksjefene", &["Administrerende direktør", "HR-direktør", "klinikksjefene"]),
            ("Forskningsdirektør (i samarbeid med HR, NTNU og UiO)", &["Forskningsdirektør (i samarbeid med HR, NTNU og UiO)"]),
            ("Klinikk/Avdeling", &["Klinikk/Avdeling"]),
            ("Klinikken/FU-KRN/forskningsgruppeledere og veiledere", &["Klinikken/FU-KRN/forskningsgruppeledere og veiledere"]),
            ("Forskningsavdelingen/Sykehuspartner", &["Forskningsavdelingen", "Sykehuspartner"]),
            ("Klinikksjef Kreftklinikken og klinikksjef Klinikk for hjertemedisin", &["Klinikksjef Kreftklinikken", "klinikksjef Klinikk for hjertemedisin"]),
        ];
        for (input, want) in cases {
            assert_eq!(split_value(input), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{input}");
        }
    }

    #[test]
    fn wrapped_lines_continue_and_line_breaks_separate() {
        assert_eq!(
            split_lines(&lines(&["Laboratoriemedisinsk", "klinikk", "FoU-avdelingen"]), Some(30.0)),
            vec!["Laboratoriemedisinsk klinikk", "FoU-avdelingen"]
        );
        assert_eq!(split_lines(&lines(&["Forskningsgruppe", "ledere"]), Some(16.0)), vec!["Forskningsgruppeledere"]);
        assert_eq!(split_lines(&lines(&["Forskningssjef og FoU-", "avdelingen"]), Some(30.0)), vec!["Forskningssjef", "FoU-avdelingen"]);
        assert_eq!(
            split_lines(&lines(&["FoU-avdelingen, Seksjon for", "innovasjon og", "næringslivssamarbeid"]), Some(30.0)),
            vec!["FoU-avdelingen", "Seksjon for innovasjon og næringslivssamarbeid"]
        );
        assert_eq!(split_lines(&lines(&["Kommunikasjonsavdelingen", "FoU-avdelingen"]), Some(30.0)), vec!["Kommunikasjonsavdelingen", "FoU-avdelingen"]);
    }

    #[test]
    fn a_name_the_column_wrapped_stays_whole() {
        // The last party of a full line wraps onto the next (`KS` / `Agder`) ...
        assert_eq!(split_lines(&lines(&["Samhandlingsdirektør og KS", "Agder"]), Some(28.0)), vec!["Samhandlingsdirektør", "KS Agder"]);
        // ... but a word naming a unit or role is a party of its own, and a short line wraps nothing.
        assert_eq!(
            split_lines(&lines(&["Samhandlingsdirektør og KS", "Forskningsavdelingen"]), Some(28.0)),
            vec!["Samhandlingsdirektør", "KS", "Forskningsavdelingen"]
        );
        assert_eq!(split_lines(&lines(&["Fagdirektør og KS", "Agder"]), Some(28.0)), vec!["Fagdirektør", "KS", "Agder"]);
        // A definite ending cut from its noun.
        assert_eq!(
            split_lines(&lines(&["Personvernombud", "et og", "Forskningsavdeling", "en"]), Some(22.0)),
            vec!["Personvernombudet", "Forskningsavdelingen"]
        );
    }
}
