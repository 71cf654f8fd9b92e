#pragma once

// Small helpers of the Mailchimp sandbox's content handlers (mailchimpsandboxcontent.cpp).

#include "sandbox/mailchimpsandbox.h"

#include <QJsonArray>

namespace MailchimpSandboxDetail {

/// Mailchimp's "2015-10-21T15:41:36+00:00"; unknown times are empty strings. The same text as
/// t.toUTC().toString("yyyy-MM-ddTHH:mm:ss'+00:00'"), written out for years 1000 to 9999.
QString time(const QDateTime &t);

/// Appends `s` as QJsonDocument::toJson(Compact) writes a string value (with its quotes).
void appendJson(QByteArray &out, const QString &s);
/// Appends `v` as QJsonDocument::toJson(Compact) writes it inside an array or object.
void appendJson(QByteArray &out, const QJsonValue &v);

/// count/offset of a listing (count 1..1000, default 10), or an error message.
struct Window
{
    qsizetype offset = 0;
    qsizetype count = 10;
    QString error;

    explicit Window(const QUrlQuery &query)
    {
        bool ok = true;
        if (query.hasQueryItem(QStringLiteral("count"))) {
            count = query.queryItemValue(QStringLiteral("count")).toInt(&ok);
            if (!ok || count < 1 || count > MailchimpSandbox::maxPageSize)
                error = QStringLiteral("count must be an integer from 1 to %1.")
                            .arg(MailchimpSandbox::maxPageSize);
        }
        if (query.hasQueryItem(QStringLiteral("offset"))) {
            offset = query.queryItemValue(QStringLiteral("offset")).toInt(&ok);
            if (!ok || offset < 0)
                error = QStringLiteral("offset must be a non-negative integer.");
        }
    }

    /// The items of `all` in this window.
    QJsonArray of(const QJsonArray &all) const
    {
        QJsonArray out;
        for (qsizetype i = offset; i < all.size() && out.size() < count; ++i)
            out.append(all.at(i));
        return out;
    }
};

} // namespace MailchimpSandboxDetail
