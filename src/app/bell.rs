//! A bell a waiting task can sleep on: ringing it wakes the task at once (a change to push, the
//! connection back, a sign-in), even in a background tab whose timers the browser slows down.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A bell; clones ring the same one.
#[derive(Clone, Default)]
pub struct Bell(Rc<RefCell<(bool, Option<Waker>)>>);

impl Bell {
    /// Rings: the task waiting (or the next to wait) wakes.
    pub fn ring(&self) {
        let waker = {
            let mut inner = self.0.borrow_mut();
            inner.0 = true;
            inner.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Waits for a ring, or at most `ms` milliseconds; says whether it rang.
    pub async fn wait(&self, ms: u32) -> bool {
        let rang = Rang(self.clone());
        let timeout = gloo::timers::future::TimeoutFuture::new(ms);
        match futures::future::select(rang, timeout).await {
            futures::future::Either::Left(_) => true,
            futures::future::Either::Right(_) => std::mem::take(&mut self.0.borrow_mut().0),
        }
    }
}

struct Rang(Bell);

impl Future for Rang {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = (self.0).0.borrow_mut();
        if std::mem::take(&mut inner.0) {
            Poll::Ready(())
        } else {
            inner.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
