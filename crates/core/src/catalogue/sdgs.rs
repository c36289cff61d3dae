//! The 17 Sustainable Development Goals and where the Plan of Action's topics lead to them,
//! after the WSIS–SDG Matrix (2015) the Forum draws on (seed 004). The links are data of the
//! catalogue (`sdg_goals` in `data/topics.json`, source in `docs/sdg-matrix.md`); here only
//! the goals themselves and how a topic inherits its links.

use super::{Catalogue, Lang};

/// One goal: its number, its short name in each language and its official colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sdg {
    pub number: u8,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    /// From the UN's SDG communication guidelines.
    pub colour: &'static str,
}

impl Sdg {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.name_fr,
            Lang::En => self.name_en,
        }
    }

    pub fn get(number: u8) -> Option<&'static Sdg> {
        SDGS.iter().find(|s| s.number == number)
    }
}

const fn goal(
    number: u8,
    name_en: &'static str,
    name_fr: &'static str,
    colour: &'static str,
) -> Sdg {
    Sdg {
        number,
        name_en,
        name_fr,
        colour,
    }
}

pub const SDGS: [Sdg; 17] = [
    goal(1, "No poverty", "Pas de pauvreté", "#E5243B"),
    goal(2, "Zero hunger", "Faim « zéro »", "#DDA63A"),
    goal(
        3,
        "Good health and well-being",
        "Bonne santé et bien-être",
        "#4C9F38",
    ),
    goal(4, "Quality education", "Éducation de qualité", "#C5192D"),
    goal(5, "Gender equality", "Égalité entre les sexes", "#FF3A21"),
    goal(
        6,
        "Clean water and sanitation",
        "Eau propre et assainissement",
        "#26BDE2",
    ),
    goal(
        7,
        "Affordable and clean energy",
        "Énergie propre et d'un coût abordable",
        "#FCC30B",
    ),
    goal(
        8,
        "Decent work and economic growth",
        "Travail décent et croissance économique",
        "#A21942",
    ),
    goal(
        9,
        "Industry, innovation and infrastructure",
        "Industrie, innovation et infrastructure",
        "#FD6925",
    ),
    goal(10, "Reduced inequalities", "Inégalités réduites", "#DD1367"),
    goal(
        11,
        "Sustainable cities and communities",
        "Villes et communautés durables",
        "#FD9D24",
    ),
    goal(
        12,
        "Responsible consumption and production",
        "Consommation et production responsables",
        "#BF8B2E",
    ),
    goal(
        13,
        "Climate action",
        "Mesures relatives à la lutte contre les changements climatiques",
        "#3F7E44",
    ),
    goal(14, "Life below water", "Vie aquatique", "#0A97D9"),
    goal(15, "Life on land", "Vie terrestre", "#56C02B"),
    goal(
        16,
        "Peace, justice and strong institutions",
        "Paix, justice et institutions efficaces",
        "#00689D",
    ),
    goal(
        17,
        "Partnerships for the goals",
        "Partenariats pour la réalisation des objectifs",
        "#19486A",
    ),
];

impl Catalogue {
    /// The goals a topic leads to: its own links; else those of the nearest topic above it
    /// that has some (a lettered paragraph leads where its action line or e-application
    /// does); else, for a topic whose links are all on its sub-topics (C7 and its eight
    /// e-applications), the union of theirs. Sorted, without repeats.
    pub fn sdgs_of(&self, id: &str) -> Vec<u8> {
        let Some(topic) = self.get(id) else {
            return Vec::new();
        };
        if !topic.sdg_goals.is_empty() {
            return sorted(topic.sdg_goals.iter().copied());
        }
        if let Some(above) = self
            .ancestors(id)
            .into_iter()
            .find(|t| !t.sdg_goals.is_empty())
        {
            return sorted(above.sdg_goals.iter().copied());
        }
        sorted(
            self.topics()
                .iter()
                .filter(|t| t.parent.as_deref() == Some(id))
                .flat_map(|t| t.sdg_goals.iter().copied()),
        )
    }

    /// The goals any of `ids` leads to, sorted, without repeats.
    pub fn sdgs_of_topics(&self, ids: &[String]) -> Vec<u8> {
        sorted(ids.iter().flat_map(|id| self.sdgs_of(id)))
    }
}

fn sorted(goals: impl Iterator<Item = u8>) -> Vec<u8> {
    let mut goals: Vec<u8> = goals.collect();
    goals.sort_unstable();
    goals.dedup();
    goals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_goals_numbered_in_order() {
        assert!(SDGS
            .iter()
            .enumerate()
            .all(|(i, s)| s.number as usize == i + 1));
        assert!(SDGS
            .iter()
            .all(|s| s.colour.len() == 7 && s.colour.starts_with('#')));
    }

    #[test]
    fn every_action_line_leads_to_at_least_one_goal() {
        let catalogue = Catalogue::wsis();
        for line in catalogue.roots().filter(|t| t.id.starts_with('C')) {
            assert!(!catalogue.sdgs_of(&line.id).is_empty(), "{}", line.id);
        }
        // Every link names one of the 17.
        for topic in catalogue.topics() {
            assert!(
                topic.sdg_goals.iter().all(|g| Sdg::get(*g).is_some()),
                "{}",
                topic.id
            );
        }
    }

    #[test]
    fn a_paragraph_inherits_and_c7_gathers_its_applications() {
        let catalogue = Catalogue::wsis();
        assert_eq!(catalogue.sdgs_of("C9.a"), catalogue.sdgs_of("C9"));
        assert_eq!(
            catalogue.sdgs_of("C7.e-health.a"),
            catalogue.sdgs_of("C7.e-health")
        );
        let c7 = catalogue.sdgs_of("C7");
        for application in ["C7.e-health", "C7.e-learning", "C7.e-science"] {
            assert!(catalogue
                .sdgs_of(application)
                .iter()
                .all(|g| c7.contains(g)));
        }
        assert!(catalogue.sdgs_of("nonsense").is_empty());
    }
}
