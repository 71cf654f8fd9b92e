#pragma once

// Real HTTP requests to the Klaviyo sandbox over 127.0.0.1 (reuses HttpResult and finish()).

#include "mailchimpclient.h"

#include <QJsonArray>

inline HttpResult klaviyoCall(QNetworkAccessManager &nam, const QUrl &base,
                              const QByteArray &method, const QString &pathAndQuery,
                              const QString &apiKey, const QJsonObject &body = {},
                              const QByteArray &revision = QByteArrayLiteral("2026-07-15"),
                              const QByteArray &contentType
                              = QByteArrayLiteral("application/vnd.api+json"))
{
    QNetworkRequest request(QUrl(base.toString() + pathAndQuery));
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", "Klaviyo-API-Key " + apiKey.toUtf8());
    if (!revision.isEmpty())
        request.setRawHeader("revision", revision);
    request.setRawHeader("Accept", "application/vnd.api+json");
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    request.setTransferTimeout(20000);
    const QByteArray bytes = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(
                                 QJsonDocument::Compact);
    return finish(nam.sendCustomRequest(request, method, bytes));
}

/// {"data": {"type": type, "attributes": {"profiles": {"data": [...]}}}} of profile emails.
inline QJsonObject klaviyoJob(const QString &type, const QJsonArray &profiles,
                              const QJsonObject &extraAttributes = {})
{
    QJsonObject attributes = extraAttributes;
    attributes.insert(QStringLiteral("profiles"), QJsonObject{{QStringLiteral("data"), profiles}});
    return QJsonObject{{QStringLiteral("data"),
                        QJsonObject{{QStringLiteral("type"), type},
                                    {QStringLiteral("attributes"), attributes}}}};
}

inline QJsonObject klaviyoProfile(const QString &email, const QJsonObject &more = {})
{
    QJsonObject attributes = more;
    attributes.insert(QStringLiteral("email"), email);
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("profile")},
                       {QStringLiteral("attributes"), attributes}};
}
