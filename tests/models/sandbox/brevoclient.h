#pragma once

// A small HTTP client for the Brevo sandbox tests: real requests over 127.0.0.1 with `api-key`.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrl>

struct BrevoResult
{
    int status = 0; ///< 0 when no HTTP answer arrived
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[n, v] : headers) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
};

inline BrevoResult brevoCall(QNetworkAccessManager &nam, const QUrl &base,
                             const QByteArray &method, const QString &pathAndQuery,
                             const QString &apiKey, const QByteArray &body = {})
{
    QNetworkRequest request(QUrl(base.toString() + pathAndQuery));
    if (!apiKey.isEmpty())
        request.setRawHeader("api-key", apiKey.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(10000);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(15000);
    }
    BrevoResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.headers = reply->rawHeaderPairs();
    if (reply->isOpen())
        r.body = reply->readAll();
    reply->deleteLater();
    return r;
}

inline BrevoResult brevoCall(QNetworkAccessManager &nam, const QUrl &base,
                             const QByteArray &method, const QString &pathAndQuery,
                             const QString &apiKey, const QJsonObject &body)
{
    return brevoCall(nam, base, method, pathAndQuery, apiKey,
                     QJsonDocument(body).toJson(QJsonDocument::Compact));
}
