#pragma once

#include "contacts/fieldtype.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

/** A fact about a platform, with where it comes from. */
template<typename T>
struct PlatformFact
{
    std::optional<T> value; ///< nullopt: not documented / no limit known
    QString note;
    QString source;
    QString checked;        ///< ISO date
};

struct Platform
{
    QString id;   ///< "brevo"
    QString name; ///< "Brevo"
    PlatformFact<int> customFieldLimit;
    PlatformFact<bool> contactTags;
    PlatformFact<int> listLimit;
    PlatformFact<QList<FieldType>> fieldTypes; ///< the field types it holds natively

    bool holdsNatively(FieldType type) const;
};

/** The platform catalog (resources/catalog/platforms.json): data, not code. */
class PlatformCatalog
{
    Q_DECLARE_TR_FUNCTIONS(PlatformCatalog)

public:
    static Result<PlatformCatalog> load(const QString &path);

    const QList<Platform> &platforms() const { return m_platforms; }
    const Platform *find(QStringView id) const;

private:
    QList<Platform> m_platforms;
};
