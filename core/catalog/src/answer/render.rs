//! An answer as plain text in Bahasa Indonesia or English, for the terminal shell and
//! for apps that show text rather than build their own layout. Every line quotes a
//! field of the record; the labels are the only words added.

use std::fmt::Write;

use super::{Answer, OfficeAnswer, Offices, Part, ServiceAnswer};
use crate::catalog::Catalog;
use crate::model::{Channel, Charge, Fee, Lang, Text};

/// The answer as text in `lang`.
pub fn render(answer: &Answer<'_>, catalog: &Catalog, lang: Lang) -> String {
    let t = |id: &'static str, en: &'static str| match lang {
        Lang::Id => id,
        Lang::En => en,
    };
    let mut out = String::new();
    match answer {
        Answer::Service(found) => service(&mut out, found, catalog, lang),
        Answer::AgencyOffices {
            agency,
            offices: list,
        } => {
            line(
                &mut out,
                &format!("{} {}", t("Kantor", "Offices of"), agency.name.get(lang)),
            );
            offices(&mut out, list, lang);
        }
        Answer::Unknown { closest } if closest.is_empty() => {
            line(
                &mut out,
                t(
                    "Maaf, tidak ada layanan di katalog yang cocok dengan pertanyaan ini.",
                    "Sorry, no service in the catalog matches this question.",
                ),
            );
        }
        Answer::Unknown { closest } => {
            line(
                &mut out,
                t(
                    "Maaf, saya tidak tahu layanan mana yang dimaksud. Layanan yang paling mendekati:",
                    "Sorry, I do not know which service you mean. The closest services:",
                ),
            );
            for service in closest {
                line(
                    &mut out,
                    &format!("- {} ({})", service.title.get(lang), service.id),
                );
            }
        }
    }
    out
}

fn service(out: &mut String, found: &ServiceAnswer<'_>, catalog: &Catalog, lang: Lang) {
    let t = |id: &'static str, en: &'static str| match lang {
        Lang::Id => id,
        Lang::En => en,
    };
    let s = found.service;
    line(out, s.title.get(lang));
    for part in &found.parts {
        match part {
            Part::Overview { summary, audience } => {
                line(out, summary.get(lang));
                line(
                    out,
                    &format!("{} {}", t("Untuk:", "For:"), audience.get(lang)),
                );
            }
            Part::Requirements(list) => {
                line(out, t("Persyaratan:", "Requirements:"));
                for (i, r) in list.iter().enumerate() {
                    let mut text = format!("{}. {}", i + 1, r.requirement.text.get(lang));
                    if let Some(producer) = r.produced_by {
                        let _ = write!(
                            text,
                            " ({} {})",
                            t("dari layanan", "from the service"),
                            producer.title.get(lang)
                        );
                    }
                    line(out, &text);
                }
            }
            Part::Fee(fee) => line(
                out,
                &format!("{} {}", t("Biaya:", "Fee:"), fee_text(fee, lang)),
            ),
            Part::Offices(list) => {
                line(out, t("Tempat layanan:", "Where:"));
                offices(out, list, lang);
                for channel in &s.channels {
                    match channel {
                        Channel::Online => line(
                            out,
                            t(
                                "- Daring: formulir di aplikasi ini",
                                "- Online: the form in this app",
                            ),
                        ),
                        Channel::Website { url } => {
                            line(out, &format!("- {} {url}", t("Situs:", "Website:")))
                        }
                        Channel::Office { .. } => {}
                    }
                }
            }
            Part::Time {
                sla_working_days: Some(days),
            } => {
                line(
                    out,
                    &format!(
                        "{} {days} {}",
                        t("Perkiraan waktu:", "Expected time:"),
                        t("hari kerja", "working days")
                    ),
                );
            }
            Part::Time {
                sla_working_days: None,
            } => line(
                out,
                t(
                    "Perkiraan waktu: catatan layanan ini tidak menyebutkannya.",
                    "Expected time: this service's record does not state it.",
                ),
            ),
            Part::LegalBasis([]) => line(
                out,
                t(
                    "Dasar hukum: catatan layanan ini tidak menyebutkannya.",
                    "Legal basis: this service's record does not name one.",
                ),
            ),
            Part::LegalBasis(list) => {
                line(out, t("Dasar hukum:", "Legal basis:"));
                for basis in *list {
                    match &basis.url {
                        Some(url) => line(out, &format!("- {} ({url})", basis.title)),
                        None => line(out, &format!("- {}", basis.title)),
                    }
                }
            }
            Part::HowToApply {
                summary, channels, ..
            } => {
                line(out, summary.get(lang));
                line(out, t("Cara mengajukan:", "How to apply:"));
                for channel in *channels {
                    let text = match channel {
                        Channel::Online => t(
                            "- Daring: formulir di aplikasi ini",
                            "- Online: the form in this app",
                        )
                        .to_owned(),
                        Channel::Office { offices } if offices.is_empty() => {
                            let agency = catalog
                                .agency(&s.agency)
                                .map(|a| a.name.get(lang))
                                .unwrap_or(&s.agency);
                            format!(
                                "- {} {agency}",
                                t("Datang ke kantor", "In person at any office of")
                            )
                        }
                        Channel::Office { offices } => {
                            let names: Vec<&str> = offices
                                .iter()
                                .map(|id| {
                                    catalog.office(id).map_or(id.as_str(), |o| o.name.get(lang))
                                })
                                .collect();
                            format!(
                                "- {} {}",
                                t("Datang ke:", "In person at:"),
                                names.join("; ")
                            )
                        }
                        Channel::Website { url } => format!("- {} {url}", t("Situs:", "Website:")),
                    };
                    line(out, &text);
                }
            }
        }
    }
    line(out, t("Sumber:", "Sources:"));
    for source in found.sources {
        line(
            out,
            &format!(
                "- {} ({}), {} {}",
                source.title,
                source.url,
                t("diakses", "accessed"),
                source.accessed.long(lang)
            ),
        );
    }
    line(
        out,
        &format!(
            "{} {} {} {}, {} {}",
            t("Catatan layanan", "Service record"),
            s.id,
            t("versi", "version"),
            s.version,
            t("diubah", "changed"),
            s.last_changed.long(lang)
        ),
    );
}

fn offices(out: &mut String, list: &Offices<'_>, lang: Lang) {
    let t = |id: &'static str, en: &'static str| match lang {
        Lang::Id => id,
        Lang::En => en,
    };
    if list.offices.is_empty() {
        let text = match (list.any_office_of_agency, list.agency) {
            (true, Some(agency)) => format!(
                "- {} {}; {}",
                t("Kantor mana pun dari", "Any office of"),
                agency.name.get(lang),
                t(
                    "katalog belum memuat alamatnya.",
                    "the catalog does not list their addresses yet."
                )
            ),
            _ => t(
                "- Katalog tidak memuat kantor untuk layanan ini.",
                "- The catalog lists no office for this service.",
            )
            .to_owned(),
        };
        line(out, &text);
        return;
    }
    for OfficeAnswer {
        office,
        distance_km,
    } in &list.offices
    {
        let mut text = format!("- {}, {}", office.name.get(lang), office.address);
        if list.nearest.is_some_and(|n| n.id == office.id) {
            let _ = write!(text, " ({})", t("terdekat", "nearest"));
        }
        if let Some(km) = distance_km {
            let _ = write!(text, ", {km:.1} km");
        }
        let _ = write!(
            text,
            ". {} {}",
            t("Jam layanan:", "Opening hours:"),
            office.opening_hours
        );
        if let Some(phone) = &office.phone {
            let _ = write!(text, ". {} {phone}", t("Telepon:", "Phone:"));
        }
        line(out, &text);
    }
    if list.any_office_of_agency {
        if let Some(agency) = list.agency {
            line(
                out,
                &format!(
                    "- {} {}",
                    t("atau kantor lain dari", "or any other office of"),
                    agency.name.get(lang)
                ),
            );
        }
    }
}

/// "Gratis" / "Rp350.000" (id) or "Free" / "Rp350,000" (en), with the record's note.
pub(crate) fn fee_text(fee: &Fee, lang: Lang) -> String {
    let amount = match fee.charge {
        Charge::Free => Text::new("Gratis", "Free").get(lang).to_owned(),
        Charge::Idr(idr) => format!(
            "Rp{}",
            group_thousands(idr, if lang == Lang::Id { '.' } else { ',' })
        ),
    };
    match &fee.note {
        Some(note) => format!("{amount} ({})", note.get(lang)),
        None => amount,
    }
}

fn group_thousands(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_amounts_are_grouped_per_language() {
        let fee = Fee {
            charge: Charge::Idr(1_350_000),
            note: None,
        };
        assert_eq!(fee_text(&fee, Lang::Id), "Rp1.350.000");
        assert_eq!(fee_text(&fee, Lang::En), "Rp1,350,000");
        assert_eq!(group_thousands(0, '.'), "0");
        assert_eq!(group_thousands(999, '.'), "999");
        assert_eq!(group_thousands(1000, '.'), "1.000");
        let free = Fee {
            charge: Charge::Free,
            note: Some(Text::new("UU 24/2013", "Law 24/2013")),
        };
        assert_eq!(fee_text(&free, Lang::Id), "Gratis (UU 24/2013)");
        assert_eq!(fee_text(&free, Lang::En), "Free (Law 24/2013)");
    }
}
