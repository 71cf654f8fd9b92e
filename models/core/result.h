#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

/**
 * An engine error: what happened, where (file and line, record, HTTP status ...) and what the
 * user can do about it. Messages are already translated (tr()) where they are built.
 */
struct Error
{
    Error() = default;
    Error(QString message_, QString where_ = {}, QString hint_ = {})
        : message(std::move(message_)), where(std::move(where_)), hint(std::move(hint_))
    {
    }

    QString message; ///< what happened, one sentence
    QString where;   ///< e.g. "members.csv line 12"; empty when not about a place
    QString hint;    ///< what to do; may be empty
    int httpStatus = 0; ///< the platform's HTTP status when it refused a request; 0 otherwise
    QString code;       ///< the platform's error code ("duplicate_parameter"), when it gave one

    /// "where: message", without the hint.
    QString summary() const { return where.isEmpty() ? message : where + QStringLiteral(": ") + message; }

    /// One line: "where: message hint".
    QString toString() const { return hint.isEmpty() ? summary() : summary() + u' ' + hint; }
};

Q_DECLARE_METATYPE(Error)

/** A value or an Error. Engine functions return this instead of throwing. */
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/** Success or an Error, for functions without a value. */
class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    static Status success() { return {}; }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};
