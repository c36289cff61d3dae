//! What an endpoint's answer means for a publish: go on, merge and retry, wait and retry, or
//! stop and tell the participant why.

/// An HTTP exchange as the app saw it. A request whose headers or body did not arrive before
/// its deadline, or that the network dropped, is `Unreachable`.
#[derive(Debug, Clone, PartialEq)]
pub enum HttpAnswer {
    /// 2xx: the ETag of the file, and for a GET its text.
    Ok {
        etag: Option<String>,
        body: Option<String>,
    },
    /// Any other status, with the endpoint's reason code when it gave one.
    Status {
        status: u16,
        code: String,
    },
    Unreachable,
}

/// Why an automatic try failed; each has its sentence in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Offline, endpoint down, connection dropped.
    Unreachable,
    /// No complete answer before the deadline.
    Timeout,
    /// 5xx, 408 or 429.
    Server(u16),
}

/// Why publishing stopped; each has its sentence and its way out in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// Name, group or region missing: the profile form.
    ProfileIncomplete,
    /// [`super::MAX_ATTEMPTS`] failures in a row; it tries again when the network comes back
    /// or the participant asks.
    GaveUp { failure: Failure, attempts: u32 },
    /// Another device kept publishing first.
    Conflicts,
    /// The endpoint's file for this author was made with another write token (403): open a
    /// backup from the device that published first.
    TokenRefused,
    /// The endpoint wants a write token this browser does not send (401).
    TokenRequired,
    /// The endpoint asks for the facilitator's upload key (401 `upload_key_required`).
    UploadKey,
    /// The endpoint refused the file (400, 413…), with its reason code.
    Rejected(String),
    /// The browser has no secure random source to make a write token.
    NoSecureRandom,
    /// The write token could not be stored on this device.
    Storage,
}

pub(super) enum Outcome {
    Conflict,
    Missing,
    Transient(Failure),
    Refused(StopReason),
}

pub(super) fn classify(answer: &HttpAnswer) -> Outcome {
    match answer {
        HttpAnswer::Unreachable => Outcome::Transient(Failure::Unreachable),
        HttpAnswer::Ok { .. } => Outcome::Refused(StopReason::Rejected("unexpected".into())),
        HttpAnswer::Status { status, code } => match status {
            412 | 428 => Outcome::Conflict,
            404 => Outcome::Missing,
            401 if code == "upload_key_required" => Outcome::Refused(StopReason::UploadKey),
            401 => Outcome::Refused(StopReason::TokenRequired),
            403 => Outcome::Refused(StopReason::TokenRefused),
            408 | 429 | 500..=599 => Outcome::Transient(Failure::Server(*status)),
            _ if code.is_empty() => Outcome::Refused(StopReason::Rejected(status.to_string())),
            _ => Outcome::Refused(StopReason::Rejected(code.clone())),
        },
    }
}
