#pragma once

// Helpers the Mailchimp connector's files share: chaining Result futures.

#include "connectors/connector.h"

#include <QFuture>

#include <type_traits>

namespace MailchimpAsync {

template<typename F>
struct FutureValue;
template<typename T>
struct FutureValue<QFuture<T>>
{
    using type = T;
};

/// f's value through fn (value -> Result<U>); an Error passes through unchanged.
template<typename T, typename F>
auto map(QFuture<Result<T>> f, F fn)
{
    using R = std::invoke_result_t<F, T &>;
    return f.then([fn = std::move(fn)](Result<T> r) -> R {
        if (!r)
            return r.error();
        return fn(r.value());
    });
}

/// f's value through fn (value -> QFuture<Result<U>>); an Error passes through unchanged.
template<typename T, typename F>
auto chain(QFuture<Result<T>> f, F fn)
{
    using FU = std::invoke_result_t<F, T &>;
    return f.then([fn = std::move(fn)](Result<T> r) -> FU {
                if (!r)
                    return QtFuture::makeReadyFuture(typename FutureValue<FU>::type(r.error()));
                return fn(r.value());
            })
        .unwrap();
}

} // namespace MailchimpAsync
