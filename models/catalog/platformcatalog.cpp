#include "catalog/platformcatalog.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>
#include <limits>

namespace {

// The facts a platform may list; anything else is a typo that would silently lose a fact.
const QStringList &knownFacts()
{
    static const QStringList keys = {
        QStringLiteral("customFieldLimit"),   QStringLiteral("contactTags"),
        QStringLiteral("listLimit"),          QStringLiteral("fieldTypes"),
        QStringLiteral("doubleOptInControl"), QStringLiteral("consentEvidence"),
        QStringLiteral("bulkImportRecords"),  QStringLiteral("bulkImportBytes"),
        QStringLiteral("apiRateLimit"),       QStringLiteral("templateLanguage"),
        QStringLiteral("automations"),        QStringLiteral("domainAuthentication"),
    };
    return keys;
}

// JSON to fact value; false when the value is of the wrong kind. Limits and rates are never
// negative, and counts are whole numbers.
bool convert(const QJsonValue &v, double &out)
{
    if (!v.isDouble() || v.toDouble() < 0)
        return false;
    out = v.toDouble();
    return true;
}
bool convert(const QJsonValue &v, qint64 &out)
{
    double d = 0;
    if (!convert(v, d) || d != std::floor(d) || d > double(std::numeric_limits<qint64>::max()))
        return false;
    out = qint64(d);
    return true;
}
bool convert(const QJsonValue &v, int &out)
{
    qint64 n = 0;
    if (!convert(v, n) || n > std::numeric_limits<int>::max())
        return false;
    out = int(n);
    return true;
}
bool convert(const QJsonValue &v, bool &out)
{
    if (!v.isBool())
        return false;
    out = v.toBool();
    return true;
}
bool convert(const QJsonValue &v, QString &out)
{
    out = v.toString().trimmed();
    return v.isString() && !out.isEmpty();
}
bool convert(const QJsonValue &v, QList<FieldType> &out)
{
    if (!v.isArray())
        return false;
    for (const QJsonValue &t : v.toArray()) {
        const auto type = FieldTypes::fromKey(t.toString());
        if (!type)
            return false;
        out.append(*type);
    }
    return true;
}

QString expected(const double &)
{
    return PlatformCatalog::tr("a number of at least 0");
}
QString expected(const qint64 &)
{
    return PlatformCatalog::tr("a whole number of at least 0");
}
QString expected(const int &)
{
    return PlatformCatalog::tr("a whole number of at least 0");
}
QString expected(const bool &)
{
    return PlatformCatalog::tr("true or false");
}
QString expected(const QString &)
{
    return PlatformCatalog::tr("a text");
}
QString expected(const QList<FieldType> &)
{
    return PlatformCatalog::tr(
        "a list of field types (text, number, date, birthday, phone, url, address, tags)");
}

/// Reads facts[key] into fact; on a problem returns the message (naming platform and fact).
template<typename T>
QString readFact(const QJsonObject &facts, const QString &key, const QString &platform,
                 bool isLimit, PlatformFact<T> &fact)
{
    if (!facts.contains(key))
        return {};
    const QJsonValue entry = facts.value(key);
    if (!entry.isObject())
        return PlatformCatalog::tr(
                   "%1, fact %2: expected an object with value, note, source and checked.")
            .arg(platform, key);
    const QJsonObject o = entry.toObject();
    const QJsonValue value = o.value(u"value");
    if (!value.isNull() && !value.isUndefined()) {
        T converted{};
        if (!convert(value, converted))
            return PlatformCatalog::tr("%1, fact %2: the value should be %3 or null.")
                .arg(platform, key, expected(converted));
        fact.value = converted;
    }
    fact.unlimited = o.value(u"unlimited").toBool();
    if (fact.unlimited && (!isLimit || fact.value))
        return PlatformCatalog::tr(
                   "%1, fact %2: \"unlimited\" applies only to a limit whose value is null.")
            .arg(platform, key);
    fact.note = o.value(u"note").toString();
    fact.source = o.value(u"source").toString().trimmed();
    fact.checked = o.value(u"checked").toString();
    if (fact.source.isEmpty())
        return PlatformCatalog::tr("%1, fact %2: no source is given.").arg(platform, key);
    if (!QDate::fromString(fact.checked, Qt::ISODate).isValid())
        return PlatformCatalog::tr(
                   "%1, fact %2: the check date \"%3\" is not an ISO date (YYYY-MM-DD).")
            .arg(platform, key, fact.checked);
    return {};
}

} // namespace

bool Platform::holdsNatively(FieldType type) const
{
    return type == FieldType::Text || type == FieldType::Tags || !fieldTypes.value
           || fieldTypes.value->contains(type);
}

QString Platform::templateFamily() const
{
    if (!templateLanguage.value)
        return {};
    return templateLanguage.value->section(u':', 0, 0).trimmed();
}

Result<PlatformCatalog> PlatformCatalog::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{tr("the platform catalog cannot be read: %1.").arg(file.errorString()), path};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (doc.isNull())
        return Error{tr("the platform catalog is not valid JSON: %1 at byte %2.")
                         .arg(parseError.errorString())
                         .arg(parseError.offset),
                     path};
    if (!doc.object().value(u"platforms").isArray())
        return Error{tr("the platform catalog has no \"platforms\" list."), path};

    PlatformCatalog catalog;
    QSet<QString> ids;
    const QJsonArray platforms = doc.object().value(u"platforms").toArray();
    for (qsizetype i = 0; i < platforms.size(); ++i) {
        const QJsonObject o = platforms.at(i).toObject();
        Platform p;
        p.id = o.value(u"id").toString().trimmed();
        p.name = o.value(u"name").toString().trimmed();
        if (p.id.isEmpty())
            return Error{tr("platform number %1 in the catalog has no id.").arg(i + 1), path};
        if (p.name.isEmpty())
            return Error{tr("platform \"%1\" in the catalog has no name.").arg(p.id), path};
        if (ids.contains(p.id))
            return Error{tr("platform \"%1\" is listed twice in the catalog.").arg(p.id), path};
        ids.insert(p.id);

        const QJsonObject facts = o.value(u"facts").toObject();
        for (auto it = facts.begin(); it != facts.end(); ++it) {
            if (!knownFacts().contains(it.key()))
                return Error{tr("%1: unknown fact \"%2\".").arg(p.id, it.key()), path};
        }
        const QString problems[] = {
            readFact(facts, QStringLiteral("customFieldLimit"), p.id, true, p.customFieldLimit),
            readFact(facts, QStringLiteral("contactTags"), p.id, false, p.contactTags),
            readFact(facts, QStringLiteral("listLimit"), p.id, true, p.listLimit),
            readFact(facts, QStringLiteral("fieldTypes"), p.id, false, p.fieldTypes),
            readFact(facts, QStringLiteral("doubleOptInControl"), p.id, false,
                     p.doubleOptInControl),
            readFact(facts, QStringLiteral("consentEvidence"), p.id, false, p.consentEvidence),
            readFact(facts, QStringLiteral("bulkImportRecords"), p.id, true, p.bulkImportRecords),
            readFact(facts, QStringLiteral("bulkImportBytes"), p.id, true, p.bulkImportBytes),
            readFact(facts, QStringLiteral("apiRateLimit"), p.id, true, p.apiRateLimit),
            readFact(facts, QStringLiteral("templateLanguage"), p.id, false, p.templateLanguage),
            readFact(facts, QStringLiteral("automations"), p.id, false, p.automations),
            readFact(facts, QStringLiteral("domainAuthentication"), p.id, false,
                     p.domainAuthentication),
        };
        for (const QString &problem : problems) {
            if (!problem.isEmpty())
                return Error{problem, path};
        }
        catalog.m_platforms.append(p);
    }
    if (catalog.m_platforms.isEmpty())
        return Error{tr("the platform catalog lists no platform."), path};
    return catalog;
}

const Platform *PlatformCatalog::find(QStringView id) const
{
    for (const Platform &p : m_platforms) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}
