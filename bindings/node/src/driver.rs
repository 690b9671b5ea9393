//! JavaScript drivers: a function registered under a driver name, called through a
//! threadsafe function from the thread that plans.

use std::sync::mpsc;
use std::thread::{self, ThreadId};

use goldpath::drivers::HostFunction;
use napi::Status;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use serde_json::Value;

/// The JavaScript function type: request in, answer out; weak, so it never keeps Node alive.
pub type DriverFunction = ThreadsafeFunction<Value, Value, Value, Status, false, true>;

/// A JavaScript function as a goldpath host function.
pub struct JsDriver {
    function: DriverFunction,
    js_thread: ThreadId,
}

impl JsDriver {
    /// Wraps `function`; must be called on the JavaScript thread.
    pub fn new(function: DriverFunction) -> Self {
        Self {
            function,
            js_thread: thread::current().id(),
        }
    }
}

impl HostFunction for JsDriver {
    fn call(&self, request: Value) -> Result<Value, String> {
        if thread::current().id() == self.js_thread {
            // The JavaScript thread is busy planning: waiting for it would never end.
            return Err(
                "a JavaScript driver can only run while the JavaScript thread is free: use planAsync"
                    .to_owned(),
            );
        }
        let (sender, receiver) = mpsc::channel();
        let status = self.function.call_with_return_value(
            request,
            ThreadsafeFunctionCallMode::Blocking,
            move |answer, _env| {
                let _ = sender.send(answer.map_err(|e| e.reason.clone()));
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
