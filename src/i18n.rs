//! Interface language: chosen from the browser on the first visit, then remembered.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
pub use networkshop_core::catalogue::Lang;

const LANG_KEY: &str = "networkshop.lang";

/// The language of the first visit: French when the browser prefers it, English otherwise.
pub fn initial_lang() -> Lang {
    if let Ok(saved) = LocalStorage::get::<Lang>(LANG_KEY) {
        return saved;
    }
    let preferred = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    if preferred.to_ascii_lowercase().starts_with("fr") {
        Lang::Fr
    } else {
        Lang::En
    }
}

pub fn remember_lang(lang: Lang) {
    // Losing the preference only costs one click on the next visit.
    let _ = LocalStorage::set(LANG_KEY, lang);
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// The current language, provided by [`crate::App`].
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// Picks the French or English text for the current language.
pub fn tr(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

use networkshop_core::record::{AgreementType, Funding, Kind, Region, StakeholderGroup};
use networkshop_core::validate::{ErrorCode, FieldError};
use networkshop_core::workspace::PublishState;

pub fn kind_label(lang: Lang, kind: Kind) -> &'static str {
    match kind {
        Kind::Network => tr(
            lang,
            "Réseau ou groupe de travail",
            "Network or working group",
        ),
        Kind::Event => tr(lang, "Événement", "Event"),
        Kind::Document => tr(lang, "Document", "Document"),
        Kind::Project => tr(lang, "Projet", "Project"),
        Kind::Partnership => tr(lang, "Partenariat", "Partnership"),
    }
}

pub fn group_label(lang: Lang, group: StakeholderGroup) -> &'static str {
    match group {
        StakeholderGroup::Government => tr(lang, "Gouvernement", "Government"),
        StakeholderGroup::PrivateSector => tr(lang, "Secteur privé", "Private sector"),
        StakeholderGroup::CivilSociety => tr(lang, "Société civile", "Civil society"),
        StakeholderGroup::AcademicTechnical => tr(
            lang,
            "Communauté universitaire et technique",
            "Academic and technical community",
        ),
        StakeholderGroup::InternationalOrganisation => tr(
            lang,
            "Organisation internationale",
            "International organisation",
        ),
    }
}

pub fn region_label(lang: Lang, region: Region) -> &'static str {
    match region {
        Region::Africa => tr(lang, "Afrique", "Africa"),
        Region::Americas => tr(lang, "Amériques", "Americas"),
        Region::ArabStates => tr(lang, "États arabes", "Arab States"),
        Region::AsiaPacific => tr(lang, "Asie-Pacifique", "Asia-Pacific"),
        Region::Cis => tr(lang, "CEI", "CIS"),
        Region::Europe => tr(lang, "Europe", "Europe"),
        Region::World => tr(lang, "Monde", "World"),
    }
}

pub fn funding_label(lang: Lang, funding: Funding) -> &'static str {
    match funding {
        Funding::None => tr(lang, "Pas encore de financement", "No funding yet"),
        Funding::Identified => tr(lang, "Financement identifié", "Funding identified"),
        Funding::Secured => tr(lang, "Financement acquis", "Funding secured"),
    }
}

pub fn agreement_label(lang: Lang, agreement: AgreementType) -> &'static str {
    match agreement {
        AgreementType::Mou => tr(lang, "Protocole d'accord", "Memorandum of understanding"),
        AgreementType::CooperationAgreement => {
            tr(lang, "Accord de coopération", "Cooperation agreement")
        }
        AgreementType::ProjectDocument => tr(lang, "Document de projet", "Project document"),
        AgreementType::VoluntaryContribution => {
            tr(lang, "Contribution volontaire", "Voluntary contribution")
        }
        AgreementType::Sponsorship => tr(lang, "Parrainage", "Sponsorship"),
    }
}

pub fn state_label(lang: Lang, state: PublishState) -> &'static str {
    match state {
        PublishState::Draft => tr(lang, "Brouillon", "Draft"),
        PublishState::Published => tr(lang, "Publié", "Published"),
        PublishState::Changed => tr(
            lang,
            "Modifié depuis la publication",
            "Changed since published",
        ),
    }
}

/// A validation error in words.
pub fn error_message(lang: Lang, error: &FieldError) -> String {
    let limit = error.limit.unwrap_or_default();
    match (error.code, lang) {
        (ErrorCode::Required, Lang::Fr) => "Ce champ est obligatoire.".into(),
        (ErrorCode::Required, Lang::En) => "This field is required.".into(),
        (ErrorCode::TooLong, Lang::Fr) => format!("Trop long : {limit} caractères au plus."),
        (ErrorCode::TooLong, Lang::En) => format!("Too long: at most {limit} characters."),
        (ErrorCode::TooMany, Lang::Fr) => format!("Trop d'éléments : {limit} au plus."),
        (ErrorCode::TooMany, Lang::En) => format!("Too many items: at most {limit}."),
        (ErrorCode::InvalidUrl, Lang::Fr) => {
            "Indiquez une adresse web complète commençant par https:// ou http://.".into()
        }
        (ErrorCode::InvalidUrl, Lang::En) => {
            "Give a full web address starting with https:// or http://.".into()
        }
        (ErrorCode::InvalidContact, Lang::Fr) => {
            "Indiquez une adresse électronique ou une adresse web.".into()
        }
        (ErrorCode::InvalidContact, Lang::En) => "Give an e-mail address or a web address.".into(),
        (ErrorCode::InvalidDate, Lang::Fr) => "Date invalide (format AAAA-MM-JJ).".into(),
        (ErrorCode::InvalidDate, Lang::En) => "Invalid date (format YYYY-MM-DD).".into(),
        (ErrorCode::DateOutOfRange, Lang::Fr) => {
            "Cette date semble erronée (entre 1990 et 2100).".into()
        }
        (ErrorCode::DateOutOfRange, Lang::En) => {
            "This date looks wrong (between 1990 and 2100).".into()
        }
        (ErrorCode::EndBeforeStart, Lang::Fr) => "La fin ne peut pas précéder le début.".into(),
        (ErrorCode::EndBeforeStart, Lang::En) => "The end cannot be before the start.".into(),
        (ErrorCode::InvalidTimeZone, Lang::Fr) => {
            "Fuseau horaire inconnu (par exemple Africa/Dakar ou UTC).".into()
        }
        (ErrorCode::InvalidTimeZone, Lang::En) => {
            "Unknown time zone (for example Africa/Dakar or UTC).".into()
        }
        (ErrorCode::InvalidLanguage, Lang::Fr) => {
            "Code de langue invalide (par exemple fr, en, ar).".into()
        }
        (ErrorCode::InvalidLanguage, Lang::En) => {
            "Invalid language code (for example fr, en, ar).".into()
        }
        (ErrorCode::UnknownTopic, Lang::Fr) => "Thème inconnu du Plan d'action.".into(),
        (ErrorCode::UnknownTopic, Lang::En) => "Not a topic of the Plan of Action.".into(),
        (ErrorCode::DuplicateTopic, Lang::Fr) => "Ce thème est déjà choisi.".into(),
        (ErrorCode::DuplicateTopic, Lang::En) => "This topic is already chosen.".into(),
        (ErrorCode::DuplicateRecord, Lang::Fr) => "Deux fiches portent le même identifiant.".into(),
        (ErrorCode::DuplicateRecord, Lang::En) => "Two records have the same identifier.".into(),
        (ErrorCode::InvalidAuthorId, Lang::Fr) => "Identifiant d'auteur invalide.".into(),
        (ErrorCode::InvalidAuthorId, Lang::En) => "Invalid author identifier.".into(),
        (ErrorCode::AuthorMismatch, Lang::Fr) => {
            "Cette fiche appartient à un autre auteur que celui du fichier.".into()
        }
        (ErrorCode::AuthorMismatch, Lang::En) => {
            "This record belongs to another author than the file's.".into()
        }
        (ErrorCode::MissingDetails, Lang::Fr) => {
            "Les détails propres à ce type de ressource manquent.".into()
        }
        (ErrorCode::MissingDetails, Lang::En) => {
            "The details of this kind of resource are missing.".into()
        }
        (ErrorCode::InvalidRevision, Lang::Fr) => "Numéro de révision invalide.".into(),
        (ErrorCode::InvalidRevision, Lang::En) => "Invalid revision number.".into(),
    }
}

/// A bundle file's problem in words.
pub fn bundle_error_message(lang: Lang, error: &networkshop_core::BundleError) -> String {
    use networkshop_core::BundleError as E;
    match (error, lang) {
        (E::TooLarge { limit, .. }, Lang::Fr) => format!("Fichier trop volumineux (au plus {} Mo).", limit / 1_048_576),
        (E::TooLarge { limit, .. }, Lang::En) => format!("File too large (at most {} MB).", limit / 1_048_576),
        (E::NotJson { line, column }, Lang::Fr) => format!("Ce fichier n'est pas du JSON valide (ligne {line}, colonne {column})."),
        (E::NotJson { line, column }, Lang::En) => format!("This file is not valid JSON (line {line}, column {column})."),
        (E::NotABundle, Lang::Fr) => "Ce fichier n'est pas un fichier Networkshop.".into(),
        (E::NotABundle, Lang::En) => "This file is not a Networkshop file.".into(),
        (E::NewerVersion { found, .. }, Lang::Fr) => format!("Ce fichier a été créé par une version plus récente de Networkshop (format {found}). Rechargez l'application pour la mettre à jour."),
        (E::NewerVersion { found, .. }, Lang::En) => format!("This file was made by a newer version of Networkshop (format {found}). Reload the app to update it."),
        (E::UnsupportedVersion { found }, Lang::Fr) => format!("Format de fichier {found} non pris en charge."),
        (E::UnsupportedVersion { found }, Lang::En) => format!("File format {found} is not supported."),
        (E::Malformed { path, .. }, Lang::Fr) => format!("Le champ « {path} » n'a pas la forme attendue."),
        (E::Malformed { path, .. }, Lang::En) => format!("The field “{path}” does not have the expected form."),
        (E::TooManyRecords { limit, .. }, Lang::Fr) => format!("Trop de fiches (au plus {limit})."),
        (E::TooManyRecords { limit, .. }, Lang::En) => format!("Too many records (at most {limit})."),
        (E::Invalid { errors }, _) => errors
            .iter()
            .map(|e| format!("{} — {}", e.field, error_message(lang, e)))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
