#include "connectors/transport/apierror.h"

#include "connectors/transport/retrypolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

std::optional<PlatformProblem> ApiError::parseBody(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.isEmpty())
        return std::nullopt;

    PlatformProblem p;
    if (o.contains(QLatin1String("detail")) || o.contains(QLatin1String("title"))) {
        // Mailchimp problem+json; validation failures add errors: [{field, message}].
        p.code = o.value(QLatin1String("title")).toString();
        p.detail = o.value(QLatin1String("detail")).toString();
        p.reference = o.value(QLatin1String("instance")).toString();
        const QJsonArray fieldErrors = o.value(QLatin1String("errors")).toArray();
        if (!fieldErrors.isEmpty()) {
            const QJsonObject first = fieldErrors.first().toObject();
            p.field = first.value(QLatin1String("field")).toString();
            const QString message = first.value(QLatin1String("message")).toString();
            if (!message.isEmpty())
                p.detail = p.detail.isEmpty() ? message : p.detail + u' ' + message;
            p.moreErrors = int(fieldErrors.size()) - 1;
        }
        return p;
    }
    if (o.value(QLatin1String("errors")).isArray()) {
        // Klaviyo JSON:API
        const QJsonArray errors = o.value(QLatin1String("errors")).toArray();
        if (errors.isEmpty())
            return std::nullopt;
        const QJsonObject first = errors.first().toObject();
        p.code = first.value(QLatin1String("code")).toString();
        p.detail = first.value(QLatin1String("detail")).toString();
        if (p.detail.isEmpty())
            p.detail = first.value(QLatin1String("title")).toString();
        const QJsonObject source = first.value(QLatin1String("source")).toObject();
        p.field = source.value(QLatin1String("pointer")).toString();
        if (p.field.isEmpty())
            p.field = source.value(QLatin1String("parameter")).toString();
        p.moreErrors = int(errors.size()) - 1;
        return p;
    }
    if (o.contains(QLatin1String("message")) || o.contains(QLatin1String("code"))) {
        // Brevo
        p.code = o.value(QLatin1String("code")).toString();
        p.detail = o.value(QLatin1String("message")).toString();
        return p;
    }
    return std::nullopt;
}

QString ApiError::describeRequest(const QByteArray &method, const QUrl &url)
{
    return QString::fromLatin1(method.toUpper()) + u' ' + url.path();
}

QString ApiError::withAttempts(QString message, int attempts)
{
    if (attempts <= 1)
        return message;
    return tr("%1 (gave up after %n attempts)", nullptr, attempts).arg(message);
}

Error ApiError::fromHttp(TargetPlatform platform, int status, const QByteArray &body,
                         const QString &where, int attempts)
{
    const QString name = TargetPlatforms::displayName(platform);
    const bool throttled
        = RetryPolicy::classify(platform, status, QNetworkReply::NoError, false, body)
          == RetryPolicy::Outcome::Throttled;
    QString message;
    if (const auto p = parseBody(body); p && !(p->code.isEmpty() && p->detail.isEmpty())) {
        const QString said
            = p->field.isEmpty() ? p->detail : tr("%1 (%2)").arg(p->detail, p->field);
        message = p->code.isEmpty()
                      ? tr("%1 answered HTTP %2: %3").arg(name).arg(status).arg(said)
                      : tr("%1 answered HTTP %2 %3: %4").arg(name).arg(status).arg(p->code, said);
        if (p->moreErrors > 0)
            message += u' ' + tr("(and %n more errors)", nullptr, p->moreErrors);
        if (!p->reference.isEmpty())
            message += u' ' + tr("[error reference %1]").arg(p->reference);
    } else {
        message = tr("%1 answered HTTP %2 without an explanation.").arg(name).arg(status);
    }
    Error error(withAttempts(message, attempts), where, hintFor(platform, status, throttled));
    error.httpStatus = status;
    if (const auto p = parseBody(body))
        error.code = p->code;
    return error;
}

Error ApiError::fromNetwork(TargetPlatform platform, QNetworkReply::NetworkError error,
                            bool timedOut, int timeoutMs, const QString &where, int attempts)
{
    const QString name = TargetPlatforms::displayName(platform);
    if (timedOut || error == QNetworkReply::TimeoutError) {
        return Error(withAttempts(tr("%1 did not answer within %n seconds.", nullptr,
                                     std::max(1, timeoutMs / 1000))
                                      .arg(name),
                                  attempts),
                     where,
                     tr("Check the internet connection and try again; if it keeps happening, %1 "
                        "may be overloaded.")
                         .arg(name));
    }
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return Error(withAttempts(tr("Could not connect to %1.").arg(name), attempts), where,
                     tr("Check the internet connection, proxy and firewall, then try again."));
    case QNetworkReply::SslHandshakeFailedError:
        return Error(tr("The secure connection to %1 failed.").arg(name), where,
                     tr("Check the system's date and time and any proxy that inspects HTTPS."));
    default:
        return Error(
            withAttempts(
                tr("The connection to %1 failed (network error %2).").arg(name).arg(int(error)),
                attempts),
            where, tr("Check the internet connection and try again."));
    }
}

Error ApiError::cancelled(const QString &where)
{
    return Error(tr("The request was cancelled."), where);
}

QString ApiError::hintFor(TargetPlatform platform, int status, bool throttled)
{
    const QString name = TargetPlatforms::displayName(platform);
    if (throttled || status == 429)
        return tr("%1 is limiting how fast Stagecoach may send; wait a few minutes and try again.")
            .arg(name);
    switch (status) {
    case 400:
    case 422:
        return tr("%1 refused the data as sent; correct what it names and try again.").arg(name);
    case 401:
        return tr("Check the %1 API key: it is wrong, expired or was revoked.").arg(name);
    case 402:
        return tr("Your %1 plan or credits do not allow this; check the account.").arg(name);
    case 403:
        return tr("The %1 API key lacks the permission (scope) for this; use a key that has it.")
            .arg(name);
    case 404:
        return tr("It no longer exists on %1, or the key belongs to another account; refresh and "
                  "try again.")
            .arg(name);
    case 409:
        return tr("It already exists on %1.").arg(name);
    case 413:
        return tr("The request was too large for %1; send smaller batches.").arg(name);
    default:
        break;
    }
    if (status >= 500)
        return tr("%1 is having trouble; try again later and check its status page if it "
                  "persists.")
            .arg(name);
    return {};
}
