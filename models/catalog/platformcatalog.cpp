#include "catalog/platformcatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

template<typename T>
PlatformFact<T> readFact(const QJsonObject &facts, QStringView key, T (*convert)(const QJsonValue &))
{
    const QJsonObject o = facts.value(key).toObject();
    PlatformFact<T> fact;
    if (!o.value(u"value").isNull() && !o.value(u"value").isUndefined())
        fact.value = convert(o.value(u"value"));
    fact.note = o.value(u"note").toString();
    fact.source = o.value(u"source").toString();
    fact.checked = o.value(u"checked").toString();
    return fact;
}

int toInt(const QJsonValue &v) { return v.toInt(); }
bool toBool(const QJsonValue &v) { return v.toBool(); }
QList<FieldType> toTypes(const QJsonValue &v)
{
    QList<FieldType> types;
    for (const QJsonValue &t : v.toArray()) {
        if (const auto type = FieldTypes::fromKey(t.toString()))
            types.append(*type);
    }
    return types;
}

} // namespace

bool Platform::holdsNatively(FieldType type) const
{
    return type == FieldType::Text || type == FieldType::Tags || !fieldTypes.value
        || fieldTypes.value->contains(type);
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
    PlatformCatalog catalog;
    for (const QJsonValue &v : doc.object().value(u"platforms").toArray()) {
        const QJsonObject o = v.toObject();
        const QJsonObject facts = o.value(u"facts").toObject();
        Platform p;
        p.id = o.value(u"id").toString();
        p.name = o.value(u"name").toString();
        p.customFieldLimit = readFact<int>(facts, u"customFieldLimit", toInt);
        p.contactTags = readFact<bool>(facts, u"contactTags", toBool);
        p.listLimit = readFact<int>(facts, u"listLimit", toInt);
        p.fieldTypes = readFact<QList<FieldType>>(facts, u"fieldTypes", toTypes);
        if (p.id.isEmpty() || p.name.isEmpty())
            return Error{tr("a platform in the catalog has no id or name."), path};
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
