#include "assessment/inventory.h"

#include <QCoreApplication>
#include <QJsonArray>

QString Engagement::bucketKey(int bucket)
{
    static const char *const keys[] = {"within30Days", "days31to90", "days91to180", "days181to365",
                                       "over1Year", "unknown"};
    return QString::fromLatin1(keys[bucket]);
}

QString Engagement::bucketName(int bucket)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("Engagement", s); };
    switch (bucket) {
    case Within30Days: return tr("Last 30 days");
    case Days31To90: return tr("31-90 days");
    case Days91To180: return tr("91-180 days");
    case Days181To365: return tr("181-365 days");
    case Over1Year: return tr("Over a year");
    default: return tr("Unknown");
    }
}

QString Finding::kindKey(Kind kind)
{
    return kind == Duplicate ? QStringLiteral("duplicate") : QStringLiteral("invalidEmail");
}

qint64 Inventory::suppressions() const
{
    qint64 n = 0;
    for (const ContactStatus s : kAllContactStatuses) {
        if (ContactStatuses::isSuppression(s))
            n += count(s);
    }
    return n;
}

int Inventory::customFieldCount() const
{
    int n = 0;
    for (const InventoryField &f : fields)
        n += (f.custom && f.type != FieldType::Tags) ? 1 : 0;
    return n;
}

QJsonObject Inventory::toJson() const
{
    QJsonObject byStatusJson;
    for (const ContactStatus s : kAllContactStatuses)
        byStatusJson.insert(ContactStatuses::key(s), count(s));

    QJsonArray sourcesJson;
    for (const InventorySource &s : sources) {
        sourcesJson.append(QJsonObject{
            {QStringLiteral("path"), s.path},
            {QStringLiteral("part"), s.part},
            {QStringLiteral("dialect"), ExportDialects::key(s.dialect)},
            {QStringLiteral("statusSource"), s.statusSource},
            {QStringLiteral("rows"), s.rows},
            {QStringLiteral("bytes"), s.bytes},
            {QStringLiteral("encoding"), s.encoding},
            {QStringLiteral("delimiter"), s.delimiter},
        });
    }
    QJsonArray fieldsJson;
    for (const InventoryField &f : fields) {
        fieldsJson.append(QJsonObject{
            {QStringLiteral("name"), f.name},
            {QStringLiteral("type"), FieldTypes::key(f.type)},
            {QStringLiteral("filled"), f.filled},
            {QStringLiteral("custom"), f.custom},
        });
    }
    QJsonArray tagsJson;
    for (const InventoryTag &t : tags)
        tagsJson.append(QJsonObject{{QStringLiteral("name"), t.name}, {QStringLiteral("count"), t.count}});

    QJsonObject rating;
    for (int i = 1; i <= 5; ++i)
        rating.insert(QString::number(i), engagement.rating[size_t(i)]);
    rating.insert(QStringLiteral("none"), engagement.rating[0]);
    QJsonObject lastChanged;
    for (int b = 0; b < 6; ++b)
        lastChanged.insert(Engagement::bucketKey(b), engagement.lastChanged[size_t(b)]);
    lastChanged.insert(QStringLiteral("reference"), engagement.reference.toString(Qt::ISODate));

    QJsonObject json{
        {QStringLiteral("dialect"), ExportDialects::key(dialect)},
        {QStringLiteral("sources"), sourcesJson},
        {QStringLiteral("contacts"),
         QJsonObject{{QStringLiteral("total"), total}, {QStringLiteral("byStatus"), byStatusJson}}},
        {QStringLiteral("duplicates"), duplicates},
        {QStringLiteral("invalidEmails"), invalidEmails},
        {QStringLiteral("fields"), fieldsJson},
        {QStringLiteral("tags"), tagsJson},
        {QStringLiteral("consent"),
         QJsonObject{
             {QStringLiteral("available"), consent.available},
             {QStringLiteral("optinTime"), consent.optinTime},
             {QStringLiteral("optinIp"), consent.optinIp},
             {QStringLiteral("confirmTime"), consent.confirmTime},
             {QStringLiteral("confirmIp"), consent.confirmIp},
             {QStringLiteral("withEvidence"), consent.withEvidence},
             {QStringLiteral("withoutEvidence"), total - consent.withEvidence},
             {QStringLiteral("subscribed"), consent.subscribed},
             {QStringLiteral("subscribedWithEvidence"), consent.subscribedWithEvidence},
         }},
        {QStringLiteral("engagement"),
         QJsonObject{
             {QStringLiteral("memberRating"), engagement.ratingAvailable ? QJsonValue(rating) : QJsonValue()},
             {QStringLiteral("lastChanged"),
              engagement.lastChangedAvailable ? QJsonValue(lastChanged) : QJsonValue()},
         }},
        {QStringLiteral("unrecognisedStatusValues"), QJsonArray::fromStringList(unrecognisedStatusValues)},
    };
    if (account.available) {
        json.insert(QStringLiteral("account"), QJsonObject{
            {QStringLiteral("platform"), account.platform},
            {QStringLiteral("name"), account.account},
            {QStringLiteral("audience"), account.audience},
            {QStringLiteral("templates"), account.templates},
            {QStringLiteral("campaigns"), account.campaigns},
            {QStringLiteral("campaignsLast12Months"), account.campaignsLast12Months},
            {QStringLiteral("automations"), account.automations},
            {QStringLiteral("segments"), account.segments},
            {QStringLiteral("integrations"), account.integrations},
            {QStringLiteral("sendingDomains"), account.sendingDomains},
            {QStringLiteral("sendingDomainsAuthenticated"), account.sendingDomainsAuthenticated},
        });
    }
    return json;
}

Inventory Inventory::fromJson(const QJsonObject &json)
{
    Inventory inv;
    inv.dialect = ExportDialects::fromKey(json.value(u"dialect").toString()).value_or(ExportDialect::Generic);
    for (const QJsonValue &v : json.value(u"sources").toArray()) {
        const QJsonObject o = v.toObject();
        inv.sources.append(InventorySource{
            o.value(u"path").toString(), o.value(u"part").toString(),
            ExportDialects::fromKey(o.value(u"dialect").toString()).value_or(ExportDialect::Generic),
            o.value(u"statusSource").toString(), o.value(u"rows").toInteger(), o.value(u"bytes").toInteger(),
            o.value(u"encoding").toString(), o.value(u"delimiter").toString()});
    }
    const QJsonObject contacts = json.value(u"contacts").toObject();
    inv.total = contacts.value(u"total").toInteger();
    const QJsonObject byStatus = contacts.value(u"byStatus").toObject();
    for (const ContactStatus s : kAllContactStatuses)
        inv.byStatus[size_t(s)] = byStatus.value(ContactStatuses::key(s)).toInteger();
    inv.duplicates = json.value(u"duplicates").toInteger();
    inv.invalidEmails = json.value(u"invalidEmails").toInteger();
    for (const QJsonValue &v : json.value(u"fields").toArray()) {
        const QJsonObject o = v.toObject();
        inv.fields.append(InventoryField{o.value(u"name").toString(),
                                         FieldTypes::fromKey(o.value(u"type").toString()).value_or(FieldType::Text),
                                         o.value(u"filled").toInteger(), o.value(u"custom").toBool(true)});
    }
    for (const QJsonValue &v : json.value(u"tags").toArray()) {
        const QJsonObject o = v.toObject();
        inv.tags.append(InventoryTag{o.value(u"name").toString(), o.value(u"count").toInteger()});
    }
    const QJsonObject c = json.value(u"consent").toObject();
    inv.consent.available = c.value(u"available").toBool();
    inv.consent.optinTime = c.value(u"optinTime").toInteger();
    inv.consent.optinIp = c.value(u"optinIp").toInteger();
    inv.consent.confirmTime = c.value(u"confirmTime").toInteger();
    inv.consent.confirmIp = c.value(u"confirmIp").toInteger();
    inv.consent.withEvidence = c.value(u"withEvidence").toInteger();
    inv.consent.subscribed = c.value(u"subscribed").toInteger();
    inv.consent.subscribedWithEvidence = c.value(u"subscribedWithEvidence").toInteger();
    const QJsonObject e = json.value(u"engagement").toObject();
    if (e.value(u"memberRating").isObject()) {
        const QJsonObject r = e.value(u"memberRating").toObject();
        inv.engagement.ratingAvailable = true;
        inv.engagement.rating[0] = r.value(u"none").toInteger();
        for (int i = 1; i <= 5; ++i)
            inv.engagement.rating[size_t(i)] = r.value(QString::number(i)).toInteger();
    }
    if (e.value(u"lastChanged").isObject()) {
        const QJsonObject l = e.value(u"lastChanged").toObject();
        inv.engagement.lastChangedAvailable = true;
        inv.engagement.reference = QDate::fromString(l.value(u"reference").toString(), Qt::ISODate);
        for (int b = 0; b < 6; ++b)
            inv.engagement.lastChanged[size_t(b)] = l.value(Engagement::bucketKey(b)).toInteger();
    }
    for (const QJsonValue &v : json.value(u"unrecognisedStatusValues").toArray())
        inv.unrecognisedStatusValues.append(v.toString());
    if (json.value(u"account").isObject()) {
        const QJsonObject a = json.value(u"account").toObject();
        const auto count = [&a](QStringView key) { return a.value(key).toInt(-1); };
        inv.account.available = true;
        inv.account.platform = a.value(u"platform").toString();
        inv.account.account = a.value(u"name").toString();
        inv.account.audience = a.value(u"audience").toString();
        inv.account.templates = count(u"templates");
        inv.account.campaigns = count(u"campaigns");
        inv.account.campaignsLast12Months = count(u"campaignsLast12Months");
        inv.account.automations = count(u"automations");
        inv.account.segments = count(u"segments");
        inv.account.integrations = count(u"integrations");
        inv.account.sendingDomains = count(u"sendingDomains");
        inv.account.sendingDomainsAuthenticated = count(u"sendingDomainsAuthenticated");
    }
    return inv;
}
