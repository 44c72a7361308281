//! Exchanges the history could not take (a full disk, a failing drive): held in memory, oldest first, written
//! before the next exchange is, and tried once more at the end of the run. What the person received is not lost to
//! a moment without space; only an end of the run with the disk still full loses it, and that is said.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::day::WorkspaceEvent;
use crate::app::{Action, RequestId};
use crate::workspace::history::{HistoryLimits, HistoryStore};
use crate::workspace::{Exchange, Summary};

/// At most this many are held: past it the oldest is dropped (and that said), so a disk that stays full for hours
/// of sending does not grow the memory without end.
const MAX_HELD: usize = 200;

/// One exchange waiting for room, with what it needs to be written and told about.
pub struct Held {
    pub store: HistoryStore,
    pub limits: HistoryLimits,
    pub profile_key: String,
    pub request: RequestId,
    pub exchange: Exchange,
    pub tx: UnboundedSender<Action>,
}

impl Held {
    fn write(&self) -> Result<Summary, String> {
        self.store.record(&self.exchange, self.limits).map_err(|e| e.to_string())
    }

    fn tell(&self, summary: Result<Summary, String>) {
        let event = WorkspaceEvent::Recorded { profile_key: self.profile_key.clone(), request: self.request, summary };
        let _ = self.tx.send(Action::Workspace(event));
    }
}

/// The run's held exchanges, shared by every request's capture.
#[derive(Clone, Default)]
pub struct Unwritten(Arc<Mutex<VecDeque<Held>>>);

impl Unwritten {
    /// Writes `held`, the ones held before it first; whatever cannot be written is held (the oldest dropped past
    /// [`MAX_HELD`]). Answers for `held` alone; the earlier ones are told about as they are written.
    pub fn write(&self, held: Held) -> Result<Summary, String> {
        let Ok(mut queue) = self.0.lock() else { return held.write() };
        while let Some(first) = queue.front() {
            match first.write() {
                Ok(summary) => {
                    first.tell(Ok(summary));
                    queue.pop_front();
                }
                Err(_) => break,
            }
        }
        match held.write() {
            Ok(summary) => Ok(summary),
            Err(message) => {
                queue.push_back(held);
                if queue.len() > MAX_HELD {
                    queue.pop_front();
                    return Err(format!("{message}; the oldest exchange held since could not be kept"));
                }
                Err(message)
            }
        }
    }

    /// At the end of the run: one more try for each; says what is still not written (and so lost).
    pub fn last_try(&self) -> Option<String> {
        let Ok(mut queue) = self.0.lock() else { return None };
        let mut reason = None;
        queue.retain(|held| match held.write() {
            Ok(_) => false,
            Err(message) => {
                reason.get_or_insert(message);
                true
            }
        });
        let reason = reason?;
        let count = queue.len();
        queue.clear();
        let (what, verb) =
            if count == 1 { ("1 exchange".to_string(), "is") } else { (format!("{count} exchanges"), "are") };
        Some(format!("{what} could not be written to the history ({reason}), and {verb} not kept"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOMY: HistoryLimits = HistoryLimits { max_entries: 100, max_bytes: 1 << 20 };

    fn held(store: &HistoryStore, id: &str, tx: &UnboundedSender<Action>) -> Held {
        Held {
            store: store.clone(),
            limits: ROOMY,
            profile_key: "sandbox".into(),
            request: id.len() as u64,
            exchange: Exchange::sample(id, 1000 + id.len() as u64, "{}"),
            tx: tx.clone(),
        }
    }

    /// A history directory that cannot be written (here: a file stands where the directory goes, as a full disk
    /// refuses) holds what comes; once it can, the held ones go first, oldest first, each told about.
    #[test]
    fn what_the_history_cannot_take_is_held_and_written_first_once_it_can() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("history/sandbox");
        std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
        std::fs::write(&dir, "in the way").unwrap();
        let store = HistoryStore::new(&dir);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let unwritten = Unwritten::default();
        assert!(unwritten.write(held(&store, "e1", &tx)).is_err());
        assert!(unwritten.write(held(&store, "e22", &tx)).is_err());
        assert!(rx.try_recv().is_err(), "nothing written, nothing told");

        std::fs::remove_file(&dir).unwrap();
        let third = unwritten.write(held(&store, "e333", &tx)).unwrap();
        assert_eq!(third.id, "e333");
        let told: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|action| match action {
                Action::Workspace(WorkspaceEvent::Recorded { request, summary: Ok(summary), .. }) => {
                    (request, summary.id)
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(told, [(2, "e1".to_string()), (3, "e22".to_string())], "the held ones, oldest first");
        let ids: Vec<_> = store.list().unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["e1", "e22", "e333"]);
        assert_eq!(unwritten.last_try(), None, "nothing left to lose");
    }

    #[test]
    fn an_end_of_the_run_with_the_disk_still_full_says_what_is_lost() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("sandbox");
        std::fs::write(&dir, "in the way").unwrap();
        let store = HistoryStore::new(&dir);
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let unwritten = Unwritten::default();
        for id in ["e1", "e22"] {
            let _ = unwritten.write(held(&store, id, &tx));
        }
        let said = unwritten.last_try().unwrap();
        assert!(said.starts_with("2 exchanges could not be written to the history ("), "{said}");
        assert!(said.ends_with("and are not kept"), "{said}");
        assert_eq!(unwritten.last_try(), None, "said once");
    }
}
