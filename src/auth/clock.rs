//! The engine's clock. Token lifetimes are wall-clock times (`exp` is seconds since the epoch), so the engine reads
//! `SystemTime`; tests give it a clock that moves with tokio's, so that under `tokio::time::pause` a token expires
//! when the test advances time, not after real seconds of waiting.

use std::time::SystemTime;

use tokio::time::Instant;

/// Where the engine reads the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    /// `None`: the system's wall clock. `Some`: the wall time at a tokio instant, moving as tokio's clock moves.
    anchor: Option<(SystemTime, Instant)>,
}

impl Clock {
    /// The system's wall clock (what zorgtui runs on).
    pub fn system() -> Clock {
        Clock { anchor: None }
    }

    /// A wall clock driven by tokio's: started at the real time now, advanced only as tokio's time advances (by
    /// itself, or by `tokio::time::advance` when paused).
    pub fn tokio() -> Clock {
        Clock { anchor: Some((SystemTime::now(), Instant::now())) }
    }

    pub fn now(&self) -> SystemTime {
        match self.anchor {
            None => SystemTime::now(),
            Some((wall, at)) => wall + at.elapsed(),
        }
    }

    /// The timer deadline for a wall-clock moment (now, if it has passed); `None` past what the monotonic clock can
    /// hold, which session times, capped at ten years, never reach.
    pub fn deadline(&self, at: SystemTime) -> Option<Instant> {
        Instant::now().checked_add(at.duration_since(self.now()).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_tokio_clock_moves_with_paused_time() {
        let clock = Clock::tokio();
        let start = clock.now();
        tokio::time::advance(Duration::from_secs(3600)).await;
        let moved = clock.now().duration_since(start).unwrap();
        assert!(moved >= Duration::from_secs(3600) && moved < Duration::from_secs(3601), "{moved:?}");
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert!(clock.deadline(far).is_some_and(|at| at > Instant::now()));
        assert!(clock.deadline(SystemTime::UNIX_EPOCH).is_some_and(|at| at <= Instant::now()));
    }
}
