//! JavaScript drivers: a function registered under a driver name.
//!
//! On the JavaScript thread (a synchronous `plan`, `deploy`, ...) the function is called
//! directly; it must answer with a value, not a Promise. On a worker thread (`planAsync`) it is
//! called through a threadsafe function, and a Promise it returns is awaited: its value is the
//! answer, its rejection a `GOLDPATH_DRIVER` error. The package (`goldpath.js`) turns the
//! answer into plain data before it reaches Rust, so cycles, NaN, BigInt and throwing getters
//! fail inside the driver call and become `GOLDPATH_DRIVER` errors too.

use std::sync::mpsc;
use std::thread::{self, ThreadId};

use goldpath::drivers::HostFunction;
use napi::bindgen_prelude::{FromNapiValue, Function, FunctionRef, PromiseRaw, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, JsValue, Status};
use serde_json::Value;

/// The JavaScript function as registered: request in, answer (or a Promise of it) out.
pub type DriverFunction<'f> = Function<'f, Value, Unknown<'static>>;

/// The threadsafe form; weak, so it never keeps Node alive.
type Threadsafe = ThreadsafeFunction<Value, Unknown<'static>, Value, Status, false, true>;

/// What a call sends back from the JavaScript thread.
type Answer = Result<Value, String>;

/// A JavaScript function as a goldpath host function.
pub struct JsDriver {
    direct: FunctionRef<Value, Unknown<'static>>,
    threadsafe: Threadsafe,
    /// The `napi_env` of the JavaScript thread, as an address (used on that thread only).
    env: usize,
    js_thread: ThreadId,
}

impl JsDriver {
    /// Wraps `function`; must be called on the JavaScript thread.
    pub fn new(env: &Env, function: &DriverFunction<'_>) -> napi::Result<Self> {
        Ok(Self {
            direct: function.create_ref()?,
            threadsafe: function
                .build_threadsafe_function::<Value>()
                .weak::<true>()
                .build()?,
            env: env.raw() as usize,
            js_thread: thread::current().id(),
        })
    }

    /// Calls the function on the JavaScript thread, which is busy planning: a Promise cannot
    /// be awaited here.
    fn call_here(&self, request: Value) -> Answer {
        let env = Env::from_raw(self.env as napi::sys::napi_env);
        let function = self.direct.borrow_back(&env).map_err(reason)?;
        let answer = function.call(request).map_err(reason)?;
        if answer.is_promise().map_err(reason)? {
            // Nobody awaits it: keep its rejection from becoming an unhandled one.
            let promise = PromiseRaw::<Unknown<'static>>::from_unknown(answer).map_err(reason)?;
            let _ = promise.catch(|_: napi::bindgen_prelude::CallbackContext<Unknown<'_>>| Ok(()));
            return Err(
                "the driver returned a Promise, which a synchronous plan cannot wait for: return the answer itself, or plan with planAsync"
                    .to_owned(),
            );
        }
        Value::from_unknown(answer).map_err(reason)
    }

    /// Calls the function from a worker thread and waits for its answer (a Promise's value).
    fn call_from_worker(&self, request: Value) -> Answer {
        let (sender, receiver) = mpsc::channel::<Answer>();
        let status = self.threadsafe.call_with_return_value(
            request,
            ThreadsafeFunctionCallMode::Blocking,
            move |answer, _env| {
                settle(answer, sender);
                Ok(())
            },
        );
        if status != Status::Ok {
            return Err(format!(
                "the JavaScript function could not be called ({status})"
            ));
        }
        receiver
            .recv()
            .map_err(|_| "the JavaScript function never answered".to_owned())?
    }
}

/// Sends the answer, or, for a Promise, what it settles to.
fn settle(answer: napi::Result<Unknown<'static>>, sender: mpsc::Sender<Answer>) {
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => return drop(sender.send(Err(reason(e)))),
    };
    match answer.is_promise() {
        Ok(true) => {}
        Ok(false) => return drop(sender.send(Value::from_unknown(answer).map_err(reason))),
        Err(e) => return drop(sender.send(Err(reason(e)))),
    }
    let rejected = sender.clone();
    let chained = PromiseRaw::<Value>::from_unknown(answer).and_then(|promise| {
        promise
            .then(move |settled| {
                let _ = sender.send(Ok(settled.value));
                Ok(())
            })?
            .catch(
                move |failed: napi::bindgen_prelude::CallbackContext<Unknown<'_>>| {
                    let _ = rejected.send(Err(reason(napi::Error::from(failed.value))));
                    Ok(())
                },
            )
            .map(drop)
    });
    if let Err(e) = chained {
        // The senders went with the callbacks; the receiver then sees them dropped.
        drop(e);
    }
}

fn reason(error: napi::Error) -> String {
    if error.reason.is_empty() {
        format!("the JavaScript function failed ({})", error.status)
    } else {
        error.reason
    }
}

impl HostFunction for JsDriver {
    fn call(&self, request: Value) -> Result<Value, String> {
        if thread::current().id() == self.js_thread {
            self.call_here(request)
        } else {
            self.call_from_worker(request)
        }
    }
}
