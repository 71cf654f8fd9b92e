#pragma once

// A small HTTP client for the Mailchimp sandbox tests: real requests over 127.0.0.1.

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrl>

struct HttpResult
{
    int status = 0; ///< 0 when no HTTP answer arrived
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray contentType;
    QByteArray retryAfter;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    bool isJson() const
    {
        QJsonParseError e;
        QJsonDocument::fromJson(body, &e);
        return e.error == QJsonParseError::NoError;
    }
};

inline QNetworkRequest mailchimpRequest(const QUrl &base, const QString &pathAndQuery,
                                        const QString &apiKey)
{
    QNetworkRequest request(QUrl(base.toString() + pathAndQuery));
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization",
                             "Basic "
                                 + (QStringLiteral("anystring:") + apiKey).toUtf8().toBase64());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(5000);
    return request;
}

inline HttpResult finish(QNetworkReply *reply)
{
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(10000);
    }
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.error = reply->error();
    r.contentType = reply->rawHeader("Content-Type");
    r.retryAfter = reply->rawHeader("Retry-After");
    if (reply->isOpen())
        r.body = reply->readAll();
    reply->deleteLater();
    return r;
}

inline HttpResult call(QNetworkAccessManager &nam, const QUrl &base, const QByteArray &method,
                       const QString &pathAndQuery, const QString &apiKey,
                       const QJsonObject &body = {}, int timeoutMs = 5000)
{
    QNetworkRequest request = mailchimpRequest(base, pathAndQuery, apiKey);
    request.setTransferTimeout(timeoutMs);
    const QByteArray bytes = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson();
    return finish(nam.sendCustomRequest(request, method, bytes));
}
