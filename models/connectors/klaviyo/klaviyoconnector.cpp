#include "connectors/klaviyo/klaviyoconnector.h"

#include "connectors/klaviyo/klaviyoapi.h"
#include "connectors/klaviyo/klaviyojson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

KlaviyoConnector::KlaviyoConnector(ConnectionSettings settings, HttpClient &client)
    : m_api(std::make_shared<KlaviyoApi>(std::move(settings), client))
{}

KlaviyoConnector::~KlaviyoConnector() = default;

void KlaviyoConnector::setJobPolling(int firstMs, int maxMs, int timeoutMs)
{
    m_api->pollStartMs = std::max(1, firstMs);
    m_api->pollMaxMs = std::max(m_api->pollStartMs, maxMs);
    m_api->jobTimeoutMs = std::max(1, timeoutMs);
}

QFuture<Result<AccountInfo>> KlaviyoConnector::testConnection()
{
    auto api = m_api;
    return mapResult(
        api->call(api->request("GET", api->url(u"accounts"_s), KlaviyoApi::Endpoint::accounts())),
        [](const QJsonObject &doc) -> Result<AccountInfo> {
            const QJsonArray data = doc.value(u"data"_s).toArray();
            if (data.isEmpty())
                return Error(tr("Klaviyo accepted the key but named no account."),
                             u"GET /api/accounts"_s);
            const QJsonObject account = data.first().toObject();
            const QJsonObject a = account.value(u"attributes"_s).toObject();
            const QJsonObject contact = a.value(u"contact_information"_s).toObject();
            AccountInfo info;
            info.id = account.value(u"id"_s).toString();
            info.name = contact.value(u"organization_name"_s).toString();
            info.email = contact.value(u"default_sender_email"_s).toString();
            QStringList detail;
            if (a.value(u"test_account"_s).toBool())
                detail.append(tr("test account"));
            if (!a.value(u"timezone"_s).toString().isEmpty())
                detail.append(tr("time zone %1").arg(a.value(u"timezone"_s).toString()));
            info.detail = detail.join(u", "_s);
            return info;
        });
}

SourceConnector::Features KlaviyoConnector::features() const
{
    return Feature::Audiences | Feature::Contacts | Feature::Fields | Feature::Tags
           | Feature::Segments | Feature::Templates | Feature::Campaigns | Feature::Automations
           | Feature::ChangesSince;
}

QFuture<Result<QList<SendingDomainInfo>>> KlaviyoConnector::sendingDomains()
{
    return Connectors::ready<QList<SendingDomainInfo>>(
        Connectors::unsupported(TargetPlatform::Klaviyo, tr("sending domains")));
}

QFuture<Result<QList<IntegrationInfo>>> KlaviyoConnector::integrations()
{
    return Connectors::ready<QList<IntegrationInfo>>(
        Connectors::unsupported(TargetPlatform::Klaviyo, tr("integrations")));
}

QFuture<Result<QList<EnsuredItem>>> KlaviyoConnector::ensureFields(const QString &listId,
                                                                   const QList<FieldSpec> &fields)
{
    Q_UNUSED(listId)
    QList<EnsuredItem> items;
    for (const FieldSpec &f : fields)
        items.append(EnsuredItem{f.name, f.name, false, f.type});
    return Connectors::ready<QList<EnsuredItem>>(items);
}
