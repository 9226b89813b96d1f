//! What one mounted Taskdesk holds on the page: listeners, timers, Web Locks, its database
//! connection and its tab channel. Everything is registered here and let go together when the
//! widget unmounts, so several widgets on one page never leak into each other (W1).

use super::locks::HeldLock;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Default)]
struct Inner {
    ended: Cell<bool>,
    on_end: RefCell<Vec<Box<dyn FnOnce()>>>,
    waiting: RefCell<Vec<Waker>>,
}

/// The life of one mounted app; clones share it.
#[derive(Clone, Default)]
pub struct Lifetime(Rc<Inner>);

impl Lifetime {
    /// Whether the app has unmounted.
    pub fn ended(&self) -> bool {
        self.0.ended.get()
    }

    /// Runs `f` when the app unmounts (at once if it already has).
    pub fn on_end(&self, f: impl FnOnce() + 'static) {
        if self.ended() {
            f();
        } else {
            self.0.on_end.borrow_mut().push(Box::new(f));
        }
    }

    /// Listens to `event` on `target` until the app unmounts.
    pub fn listen(&self, target: &web_sys::EventTarget, event: &'static str, f: impl FnMut(web_sys::Event) + 'static) {
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        if target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref()).is_ok() {
            let target = target.clone();
            self.on_end(move || {
                let _ = target.remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            });
        }
    }

    /// Listens to `event` on the window until the app unmounts.
    pub fn listen_window(&self, event: &'static str, f: impl FnMut(web_sys::Event) + 'static) {
        if let Some(w) = web_sys::window() {
            self.listen(&w, event, f);
        }
    }

    /// Calls `f` every `ms` milliseconds until the app unmounts.
    pub fn every(&self, ms: u32, f: impl FnMut() + 'static) {
        let interval = gloo::timers::callback::Interval::new(ms, f);
        self.on_end(move || drop(interval));
    }

    /// Keeps a Web Lock until the app unmounts.
    pub fn hold(&self, lock: HeldLock) {
        self.on_end(move || lock.release());
    }

    /// Sleeps `ms` milliseconds; `false` when the app unmounted meanwhile (it wakes at once).
    pub async fn sleep(&self, ms: u32) -> bool {
        let timeout = gloo::timers::future::TimeoutFuture::new(ms);
        futures::future::select(Box::pin(self.end_reached()), timeout).await;
        !self.ended()
    }

    /// Resolves when the app unmounts.
    pub fn end_reached(&self) -> impl Future<Output = ()> {
        Ended(self.clone())
    }

    /// Unmounting: lets go of everything, newest first.
    pub fn end(&self) {
        if self.0.ended.replace(true) {
            return;
        }
        let jobs = std::mem::take(&mut *self.0.on_end.borrow_mut());
        for job in jobs.into_iter().rev() {
            job();
        }
        for w in self.0.waiting.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

struct Ended(Lifetime);

impl Future for Ended {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0.ended() {
            Poll::Ready(())
        } else {
            self.0 .0.waiting.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        }
    }
}
