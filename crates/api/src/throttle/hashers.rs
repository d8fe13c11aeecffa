//! The threads that hash and verify passwords: one per CPU, for the life of the server.
//!
//! argon2id takes a 19 MiB block per hash. Once glibc's malloc has seen a block that size freed,
//! it serves the next ones from the calling thread's arena and keeps them resident after they
//! are freed. tokio's blocking pool runs each call on whichever of its (up to 512) threads is
//! idle, so five sign-ups one after the other could leave a block behind in several arenas: the
//! server grew by 82 MiB over them (measured). On these threads a freed block is reused by the
//! same thread's next hash, so what argon2 leaves resident is one block per thread, the same
//! bound as for the hashes running at once.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::{Arc, Mutex, mpsc},
    thread,
};

use tokio::sync::{Semaphore, oneshot};

use crate::error::ApiError;

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct Hashers {
    /// One turn per thread: the queue never holds more jobs than there are threads.
    turns: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
}

impl Hashers {
    /// Starts `threads` hashing threads (at least one); they end when this is dropped.
    pub(crate) fn new(threads: usize) -> Hashers {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = threads.max(1);
        for index in 0..threads {
            let receiver = Arc::clone(&receiver);
            thread::Builder::new()
                .name(format!("password-hasher-{index}"))
                .spawn(move || serve(&receiver))
                .expect("the server can start its password-hashing threads");
        }
        Hashers {
            turns: Arc::new(Semaphore::new(threads)),
            jobs: sender,
        }
    }

    /// Runs `work` on a hashing thread once one is free. The turn is held until `work` is done,
    /// even if the caller stops waiting, so a cancelled request does not let another hash start.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let turn = Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .expect("the hashing semaphore is never closed");
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _turn = turn;
            let _ = answer.send(work());
        });
        self.jobs.send(job).map_err(|_| gone())?;
        answered.await.map_err(|_| gone())
    }
}

fn serve(jobs: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // The lock is released before the job runs, so the other threads can take the next.
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // A panicking hash answers nothing (the caller gets an internal error) and the thread
        // stays.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

fn gone() -> ApiError {
    ApiError::internal(std::io::Error::other(
        "the password-hashing threads are gone",
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_hashing_threads_never_more_at_once_than_there_are() {
        let hashers = Arc::new(Hashers::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        // Jobs pass in pairs: the two threads run at once, or this never ends.
        let pair = Arc::new(std::sync::Barrier::new(2));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (hashers, running, most) = (hashers.clone(), running.clone(), most.clone());
            let pair = pair.clone();
            tasks.push(tokio::spawn(async move {
                hashers
                    .run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        pair.wait();
                        running.fetch_sub(1, Ordering::SeqCst);
                        thread::current().name().unwrap_or_default().to_owned()
                    })
                    .await
                    .unwrap()
            }));
        }
        for task in tasks {
            assert!(task.await.unwrap().starts_with("password-hasher-"));
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_goes_on() {
        let hashers = Hashers::new(1);
        let failed = hashers.run(|| -> u8 { panic!("argon2 failed") }).await;
        assert!(matches!(failed, Err(ApiError::Internal(_))));
        assert_eq!(hashers.run(|| 7).await.unwrap(), 7);
    }
}
