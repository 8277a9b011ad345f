//! The solve pool: CPU-heavy work (validation, indexing, checking, later the solvers) runs here,
//! on tokio's blocking threads, never on the async runtime that serves connections.
//!
//! # Admission and queueing
//!
//! The pool holds two semaphores:
//!
//! - `admission` has `workers + queue` permits. A request takes one with `try_acquire`, *before*
//!   anything else: if none is left, the request is refused at once with `RESOURCE_EXHAUSTED`
//!   (the caller retries with backoff, or a load balancer sends it elsewhere). So the server
//!   never holds more than `workers + queue` snapshots' worth of work in memory, however hard it
//!   is pushed.
//! - `workers` has `workers` permits. An admitted request waits (asynchronously, in FIFO order)
//!   for one, then runs its job with `spawn_blocking`. At most `workers` jobs run at once, so a
//!   burst of checks cannot starve the runtime or each other of CPU.
//!
//! # Cancellation
//!
//! Each job gets a [`Cancel`] token. The request's future owns a guard that trips the token when
//! the future is dropped — which tonic does when the client cancels, the connection closes, or
//! the deadline layer (see `server.rs`) gives up. A job still queued simply never starts (its
//! future is gone). A running job polls [`Cancel::check`] between its phases and stops at the
//! next one; a phase in progress (e.g. the checker's pass over the roster, about a second on a
//! whole city) finishes first, and its result is discarded. Later solvers poll the same token
//! inside their search loops.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A cancellation flag shared between a request and its job.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

/// The job stopped because its caller went away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled: the caller went away or its deadline passed")]
pub struct Cancelled;

impl Cancel {
    /// Whether the caller has gone away.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The flag itself, for solvers that poll an `AtomicBool` inside their loops.
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }

    /// `Err(Cancelled)` once the caller has gone away; jobs call it between phases.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Trips the token: the job stops at its next check. The pool does it when the caller goes
    /// away; a streaming RPC does it when its reader hangs up.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Trips the token when dropped, i.e. when the request's future is dropped before the job ends.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Why the pool did not run a job.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// Every worker is busy and the queue is full.
    #[error("the server is busy: {running} job(s) running and {queued} queued, the most it accepts; retry later")]
    Full {
        /// Jobs running.
        running: usize,
        /// Jobs waiting.
        queued: usize,
    },
    /// The job panicked (a bug, never a client's mistake); reported as INTERNAL.
    #[error("the job failed unexpectedly")]
    Panicked,
    /// The pool is shutting down.
    #[error("the server is shutting down")]
    Closed,
}

/// A bounded pool of blocking workers with a bounded queue in front (see the module docs).
#[derive(Clone, Debug)]
pub struct SolvePool {
    /// `workers + queue` permits: one per job admitted (running or waiting).
    admission: Arc<Semaphore>,
    /// `workers` permits: one per job running.
    workers: Arc<Semaphore>,
    /// Jobs currently running (for messages and metrics).
    running: Arc<AtomicUsize>,
    n_workers: usize,
    queue: usize,
}

impl SolvePool {
    /// A pool running at most `workers` jobs at once (at least 1) with at most `queue` waiting.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        SolvePool {
            admission: Arc::new(Semaphore::new(workers + queue)),
            workers: Arc::new(Semaphore::new(workers)),
            running: Arc::new(AtomicUsize::new(0)),
            n_workers: workers,
            queue,
        }
    }

    /// Most jobs running at once.
    pub fn workers(&self) -> usize {
        self.n_workers
    }

    /// Most jobs waiting.
    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Admits a job or refuses it at once when the pool and its queue are full. The returned
    /// ticket holds the job's place until it is run or dropped.
    pub fn admit(&self) -> Result<Ticket, PoolError> {
        match Arc::clone(&self.admission).try_acquire_owned() {
            Ok(permit) => Ok(Ticket {
                pool: self.clone(),
                _admission: permit,
            }),
            Err(tokio::sync::TryAcquireError::NoPermits) => {
                let running = self.running.load(Ordering::Relaxed);
                Err(PoolError::Full {
                    running,
                    queued: (self.n_workers + self.queue)
                        .saturating_sub(self.admission.available_permits())
                        .saturating_sub(running),
                })
            }
            Err(tokio::sync::TryAcquireError::Closed) => Err(PoolError::Closed),
        }
    }

    /// Admits and runs a job: `admit` (at once, when called) then [`Ticket::run`].
    pub fn run<T, F>(&self, job: F) -> impl Future<Output = Result<T, PoolError>> + Send + 'static
    where
        F: FnOnce(&Cancel) -> T + Send + 'static,
        T: Send + 'static,
    {
        let admitted = self.admit();
        async move { admitted?.run(job).await }
    }
}

/// A job on a worker: counted while it lives, its permits released when it ends.
struct Running {
    count: Arc<AtomicUsize>,
    _worker: OwnedSemaphorePermit,
    _admission: OwnedSemaphorePermit,
}

impl Running {
    fn new(
        count: Arc<AtomicUsize>,
        worker: OwnedSemaphorePermit,
        admission: OwnedSemaphorePermit,
    ) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Running {
            count,
            _worker: worker,
            _admission: admission,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A job's place in the pool (running or queued).
#[derive(Debug)]
pub struct Ticket {
    pool: SolvePool,
    _admission: OwnedSemaphorePermit,
}

impl Ticket {
    /// Waits for a worker, then runs `job` on a blocking thread. Dropping the returned future
    /// (client gone, deadline passed) leaves the queue, or cancels the running job.
    pub async fn run<T, F>(self, job: F) -> Result<T, PoolError>
    where
        F: FnOnce(&Cancel) -> T + Send + 'static,
        T: Send + 'static,
    {
        {
            let worker = Arc::clone(&self.pool.workers)
                .acquire_owned()
                .await
                .map_err(|_| PoolError::Closed)?;
            let cancel = Cancel::default();
            let _guard = CancelOnDrop(cancel.clone());
            let running = Arc::clone(&self.pool.running);
            let admission = self._admission;
            let handle = tokio::task::spawn_blocking(move || {
                // The permits are released only when the job really ends (or panics), even if
                // its caller left earlier: a cancelled job occupies a worker until its next check.
                let _slot = Running::new(running, worker, admission);
                job(&cancel)
            });
            handle.await.map_err(|_| PoolError::Panicked)
        }
    }
}
