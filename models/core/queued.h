#pragma once

#include <QMetaObject>
#include <QPointer>

#include <utility>

/**
 * A callable for a worker thread that hands its arguments to `receiver`'s thread: each call
 * queues `f(receiver, args...)` there, and nothing runs once the receiver is gone. How the
 * controllers take their jobs' progress back to the GUI thread.
 */
template<typename Receiver, typename F>
auto queuedTo(Receiver *receiver, F f)
{
    return [self = QPointer<Receiver>(receiver), f = std::move(f)](auto... args) {
        QMetaObject::invokeMethod(
            self.get(),
            [self, f, args...] {
                if (self)
                    f(self.get(), args...);
            },
            Qt::QueuedConnection);
    };
}
