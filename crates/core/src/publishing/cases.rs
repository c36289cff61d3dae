//! One test per defect the publisher was written to end, each replayed step by step.

use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

use super::*;
use crate::catalogue::Catalogue;
use crate::record::{Kind, Region, StakeholderGroup};
use crate::workspace::PublishState;
use crate::workspace::Workspace;

const NOW: OffsetDateTime = datetime!(2005-11-16 09:00 UTC);

struct Run {
    publisher: Publisher,
    ws: Workspace,
    log: Vec<Command>,
}

impl Run {
    fn new() -> Run {
        let mut ws = Workspace {
            profile: Some(crate::test_support::profile(
                "alice",
                StakeholderGroup::Government,
                Region::Europe,
            )),
            ..Default::default()
        };
        let mut record = ws.new_record(Uuid::from_u128(1), Kind::Project, "alice", NOW);
        record.title = "Télécentres".into();
        record.topics = vec!["C2".into()];
        ws.save(record, NOW);
        let mut run = Run {
            publisher: Publisher::default(),
            ws,
            log: Vec::new(),
        };
        run.step(Event::Started {
            stored: None,
            token: None,
            auto: false,
        });
        run
    }

    fn step(&mut self, event: Event) -> Vec<Command> {
        let ctx = Context {
            now: NOW,
            catalogue: Catalogue::wsis(),
        };
        let out = self.publisher.step(&mut self.ws, &ctx, event);
        self.log.extend(out.clone());
        out
    }

    /// Publish asked, lock granted with a stored token: returns the PUT's ticket and body.
    fn start_publish(&mut self) -> (Ticket, String) {
        self.step(Event::PublishRequested);
        let token = Some("t".into());
        let out = self.step(Event::LockGranted {
            stored: None,
            token,
            records: vec![],
        });
        put_of(&out).expect("a PUT")
    }

    fn edit_title(&mut self, title: &str) {
        let mut record = self.ws.records[&Uuid::from_u128(1)].record.clone();
        record.title = title.into();
        self.ws.save(record, NOW);
        self.step(Event::EditSaved);
    }

    fn state(&self) -> PublishState {
        self.ws.records[&Uuid::from_u128(1)].state()
    }
}

fn put_of(out: &[Command]) -> Option<(Ticket, String)> {
    out.iter().find_map(|c| match c {
        Command::Put { ticket, body, .. } => Some((*ticket, body.clone())),
        _ => None,
    })
}

fn ok(etag: &str) -> HttpAnswer {
    HttpAnswer::Ok {
        etag: Some(etag.into()),
        body: None,
    }
}

#[test]
fn an_edit_made_while_a_publish_is_in_flight_is_sent_not_marked_published() {
    let mut run = Run::new();
    let (ticket, _) = run.start_publish();
    let answer = Event::PutAnswered {
        ticket,
        answer: ok("\"e1\""),
    };
    run.step(answer);
    assert_eq!(run.state(), PublishState::Published);

    run.edit_title("Télécentres ruraux");
    let (ticket, first) = run.start_publish();
    run.edit_title("Télécentres ruraux et urbains");
    let out = run.step(Event::PutAnswered {
        ticket,
        answer: ok("\"e2\""),
    });
    assert!(first.contains("Télécentres ruraux\""));
    assert_eq!(
        run.state(),
        PublishState::Changed,
        "the second title was never sent"
    );
    let (ticket, second) = put_of(&out).expect("the later edit goes out at once");
    assert!(second.contains("Télécentres ruraux et urbains"));
    run.step(Event::PutAnswered {
        ticket,
        answer: ok("\"e3\""),
    });
    assert_eq!(run.state(), PublishState::Published);
    assert!(!run.publisher.meta().pending);
}

#[test]
fn a_publish_asked_for_during_another_is_not_cleared_by_its_success() {
    let mut run = Run::new();
    let (ticket, _) = run.start_publish();
    run.edit_title("Nouveau titre");
    run.step(Event::PublishRequested);
    let out = run.step(Event::PutAnswered {
        ticket,
        answer: ok("\"e1\""),
    });
    assert!(put_of(&out).is_some());
    assert!(run.publisher.meta().pending);
}

#[test]
fn a_stalled_answer_meets_its_deadline_and_the_publish_retries() {
    let mut run = Run::new();
    let (ticket, _) = run.start_publish();
    let out = run.step(Event::TimerFired { ticket });
    assert!(out.contains(&Command::Abort { ticket }));
    assert!(out.contains(&Command::ReleaseLock));
    assert!(matches!(
        run.publisher.status(),
        Status::Retrying {
            failure: Failure::Timeout,
            attempt: 1,
            ..
        }
    ));
    assert!(!run.publisher.is_working(), "the button is usable again");
    // The late answer of the abandoned request changes nothing.
    assert!(run
        .step(Event::PutAnswered {
            ticket,
            answer: ok("\"x\"")
        })
        .is_empty());
}

#[test]
fn retries_are_bounded_then_it_says_why_and_waits_for_the_network() {
    let mut run = Run::new();
    run.step(Event::PublishRequested);
    let mut puts = 0;
    let mut deadlines = Vec::new();
    let mut pending: Vec<Command> = run.log.clone();
    for _ in 0..100 {
        let Some(command) = (!pending.is_empty()).then(|| pending.remove(0)) else {
            break;
        };
        let next = match command {
            Command::AcquireLock => Event::LockGranted {
                stored: None,
                token: Some("t".into()),
                records: vec![],
            },
            Command::Put { ticket, .. } => {
                puts += 1;
                deadlines.push(ticket);
                Event::PutAnswered {
                    ticket,
                    answer: HttpAnswer::Unreachable,
                }
            }
            // Back-off timers fire; the answers come before the requests' deadlines.
            Command::StartTimer { ticket, .. } if !deadlines.contains(&ticket) => {
                Event::TimerFired { ticket }
            }
            _ => continue,
        };
        pending = run.step(next);
    }
    assert_eq!(puts, MAX_ATTEMPTS);
    assert_eq!(
        run.publisher.status(),
        &Status::Stopped(StopReason::GaveUp {
            failure: Failure::Unreachable,
            attempts: MAX_ATTEMPTS
        })
    );
    assert!(
        run.publisher.meta().pending,
        "the work still waits to go out"
    );
    assert_eq!(
        run.step(Event::Online),
        vec![Command::AcquireLock, Command::Tell(Status::Working)]
    );
}

#[test]
fn refusals_stop_at_once_with_their_reason() {
    for (status, code, reason) in [
        (403, "forbidden", StopReason::TokenRefused),
        (401, "token_required", StopReason::TokenRequired),
        (401, "upload_key_required", StopReason::UploadKey),
        (400, "invalid", StopReason::Rejected("invalid".into())),
    ] {
        let mut run = Run::new();
        let (ticket, _) = run.start_publish();
        let answer = HttpAnswer::Status {
            status,
            code: code.into(),
        };
        let out = run.step(Event::PutAnswered { ticket, answer });
        assert!(put_of(&out).is_none() && !out.iter().any(|c| matches!(c, Command::Get { .. })));
        assert_eq!(run.publisher.status(), &Status::Stopped(reason));
    }
}

#[test]
fn repeated_conflicts_stop_instead_of_looping() {
    let mut run = Run::new();
    let (mut ticket, _) = run.start_publish();
    let conflict = || HttpAnswer::Status {
        status: 412,
        code: "precondition_failed".into(),
    };
    for round in 0..=MAX_CONFLICTS {
        let out = run.step(Event::PutAnswered {
            ticket,
            answer: conflict(),
        });
        if round == MAX_CONFLICTS {
            assert!(out.iter().all(|c| !matches!(c, Command::Get { .. })));
            break;
        }
        let get = out.iter().find_map(|c| match c {
            Command::Get { ticket } => Some(*ticket),
            _ => None,
        });
        let answer = HttpAnswer::Status {
            status: 404,
            code: String::new(),
        };
        let out = run.step(Event::GetAnswered {
            ticket: get.expect("a GET"),
            answer,
        });
        ticket = put_of(&out).expect("a PUT").0;
    }
    assert_eq!(
        run.publisher.status(),
        &Status::Stopped(StopReason::Conflicts)
    );
}

#[test]
fn without_a_secure_random_source_nothing_is_sent() {
    let mut run = Run::new();
    run.step(Event::PublishRequested);
    let out = run.step(Event::LockGranted {
        stored: None,
        token: None,
        records: vec![],
    });
    assert!(out.contains(&Command::MakeToken));
    let out = run.step(Event::TokenMade(None));
    assert!(put_of(&out).is_none());
    assert_eq!(
        run.publisher.status(),
        &Status::Stopped(StopReason::NoSecureRandom)
    );
}

#[test]
fn a_token_is_sent_only_once_stored_and_a_lost_save_sends_nothing() {
    let mut run = Run::new();
    run.step(Event::PublishRequested);
    run.step(Event::LockGranted {
        stored: None,
        token: None,
        records: vec![],
    });
    let out = run.step(Event::TokenMade(Some("fresh".into())));
    let Some(Command::SaveToken { ticket, token }) = out.first().cloned() else {
        panic!("{out:?}")
    };
    assert_eq!(token, "fresh");
    assert!(put_of(&out).is_none());
    let out = run.step(Event::TokenSaved { ticket, ok: false });
    assert!(put_of(&out).is_none());
    assert_eq!(
        run.publisher.status(),
        &Status::Stopped(StopReason::Storage)
    );
    assert_eq!(run.publisher.token(), None);
}

#[test]
fn another_tabs_token_is_used_rather_than_a_new_one() {
    let mut run = Run::new();
    run.step(Event::PublishRequested);
    let token = Some("first tab's".into());
    let out = run.step(Event::LockGranted {
        stored: None,
        token,
        records: vec![],
    });
    assert!(!out.contains(&Command::MakeToken));
    let token = out.iter().find_map(|c| match c {
        Command::Put { token, .. } => Some(token.clone()),
        _ => None,
    });
    assert_eq!(token.as_deref(), Some("first tab's"));
}

#[test]
fn an_imported_token_ends_a_refusal() {
    let mut run = Run::new();
    let (ticket, _) = run.start_publish();
    let answer = HttpAnswer::Status {
        status: 403,
        code: "forbidden".into(),
    };
    run.step(Event::PutAnswered { ticket, answer });
    let out = run.step(Event::TokenImported("from the laptop".into()));
    assert!(out.contains(&Command::AcquireLock));
}
