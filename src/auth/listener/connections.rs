//! The listener's open connections: how many there may be, which one gives way when a new one needs room, and
//! closing them all when the sign-in ends.
//!
//! A connection is *idle* while it has no request in hand: it is still sending its request head (or nothing at
//! all), or it is kept alive between requests. Idle connections are what a flood is made of, so at the cap the
//! oldest idle one is dropped for the newcomer; a connection whose request is being answered is never dropped.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::watch;
use tokio::task::AbortHandle;

/// One open connection.
struct Open {
    /// Requests of this connection being answered now.
    busy: Arc<AtomicUsize>,
    abort: AbortHandle,
}

/// The table of open connections, in the order they came (ids only grow).
#[derive(Default)]
struct Table {
    next: u64,
    open: BTreeMap<u64, Open>,
}

/// Shared between the accept loop and each connection's task (which takes itself out when it ends).
#[derive(Clone)]
pub(super) struct Connections {
    table: Arc<Mutex<Table>>,
    cap: usize,
    /// Set once: every connection finishes what it is answering, then closes.
    closing: Arc<watch::Sender<bool>>,
}

/// What a connection's task is given: its id, its busy counter and the signal to close.
pub(super) struct Admitted {
    pub id: u64,
    pub busy: Arc<AtomicUsize>,
    pub closing: watch::Receiver<bool>,
}

impl Connections {
    pub(super) fn new(cap: usize) -> Connections {
        Connections { table: Arc::default(), cap, closing: Arc::new(watch::channel(false).0) }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        // A panic while holding the lock leaves a table that is still consistent (every change is one call).
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes room for one more connection (dropping the oldest idle one at the cap) and starts `serve` for it.
    /// Returns `false`, starting nothing, when every connection is busy answering.
    pub(super) fn admit<F>(&self, serve: impl FnOnce(Admitted) -> F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let mut table = self.table();
        if table.open.len() >= self.cap && !Self::drop_oldest_idle(&mut table) {
            return false;
        }
        let id = table.next;
        table.next += 1;
        let busy = Arc::new(AtomicUsize::new(0));
        let admitted = Admitted { id, busy: Arc::clone(&busy), closing: self.closing.subscribe() };
        let work = serve(admitted);
        let this = self.clone();
        // The table stays locked until the connection is in it, so its own removal cannot come first.
        let task = tokio::spawn(async move {
            work.await;
            this.table().open.remove(&id);
        });
        table.open.insert(id, Open { busy, abort: task.abort_handle() });
        true
    }

    /// Drops the oldest idle connection, to free its file descriptor (for an `accept` that ran out of them).
    pub(super) fn shed_one(&self) -> bool {
        Self::drop_oldest_idle(&mut self.table())
    }

    fn drop_oldest_idle(table: &mut Table) -> bool {
        let oldest = table.open.iter().find(|(_, open)| open.busy.load(Ordering::SeqCst) == 0).map(|(id, _)| *id);
        let Some(id) = oldest else { return false };
        if let Some(open) = table.open.remove(&id) {
            open.abort.abort();
        }
        true
    }

    pub(super) fn len(&self) -> usize {
        self.table().open.len()
    }

    /// Asks every connection to finish what it is answering and close; idle ones close at once.
    pub(super) fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// Ends every connection still open, whatever it is doing.
    pub(super) fn abort_all(&self) {
        for (_, open) in std::mem::take(&mut self.table().open) {
            open.abort.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(admitted: Admitted) -> impl Future<Output = ()> + Send + 'static {
        drop(admitted);
        std::future::pending()
    }

    #[tokio::test]
    async fn at_the_cap_the_oldest_idle_connection_gives_way_and_a_busy_one_never_does() {
        let connections = Connections::new(2);
        let mut busy_counter = None;
        assert!(connections.admit(|admitted| {
            admitted.busy.fetch_add(1, Ordering::SeqCst);
            busy_counter = Some(Arc::clone(&admitted.busy));
            pending(admitted)
        }));
        assert!(connections.admit(pending));
        assert!(connections.admit(pending), "the idle one made room");
        assert_eq!(connections.len(), 2);
        let ids: Vec<u64> = connections.table().open.keys().copied().collect();
        assert_eq!(ids, vec![0, 2], "the busy first one stayed, the idle second one went");
        // Both busy now: nothing can be dropped, so the newcomer is turned away.
        let third = connections.table().open.get(&2).map(|open| Arc::clone(&open.busy)).unwrap();
        third.fetch_add(1, Ordering::SeqCst);
        assert!(!connections.admit(pending));
        assert!(!connections.shed_one());
        connections.abort_all();
        assert_eq!(connections.len(), 0);
        drop(busy_counter);
    }

    #[tokio::test]
    async fn a_finished_connection_takes_itself_out() {
        let connections = Connections::new(4);
        assert!(connections.admit(|admitted| async move { drop(admitted) }));
        for _ in 0..100 {
            if connections.len() == 0 {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("the finished connection is still in the table");
    }
}
