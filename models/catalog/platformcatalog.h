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
    bool unlimited = false; ///< for limits: documented as having none (value stays empty)
    QString note;
    QString source;
    QString checked; ///< ISO date

    /// The catalog says something usable: a value, or that there is no limit.
    bool known() const { return value.has_value() || unlimited; }
};

struct Platform
{
    QString id;   ///< "brevo"
    QString name; ///< "Brevo"
    PlatformFact<int> customFieldLimit;
    PlatformFact<bool> contactTags;
    PlatformFact<int> listLimit;
    PlatformFact<QList<FieldType>> fieldTypes; ///< the field types it holds natively
    /// An import or API write can add subscribed contacts without sending a double opt-in mail.
    PlatformFact<bool> doubleOptInControl;
    /// Opt-in time (and IP) are held natively, not only as custom fields.
    PlatformFact<bool> consentEvidence;
    PlatformFact<int> bulkImportRecords;  ///< contacts per bulk request
    PlatformFact<qint64> bulkImportBytes; ///< bytes per bulk request
    PlatformFact<double> apiRateLimit;    ///< sustained requests per second for contact writes
    /// "Family: example", e.g. "Django-like: {{ first_name }}"; one family shares merge-tag syntax.
    PlatformFact<QString> templateLanguage;
    PlatformFact<bool> automations;
    PlatformFact<bool> domainAuthentication; ///< own sending domain signed with DKIM

    bool holdsNatively(FieldType type) const;
    /// The part of templateLanguage before ':' ("Django-like"); empty when not documented.
    QString templateFamily() const;
};

/** The platform catalog (resources/catalog/platforms.json): data, not code. */
class PlatformCatalog
{
    Q_DECLARE_TR_FUNCTIONS(PlatformCatalog)

public:
    /**
     * Reads and checks the catalog: every platform needs an id (unique) and a name, every fact a
     * value of the right type (or null), a source and an ISO check date. The Error's where is the
     * file; its message names the platform and fact at fault.
     */
    static Result<PlatformCatalog> load(const QString &path);

    const QList<Platform> &platforms() const { return m_platforms; }
    const Platform *find(QStringView id) const;

private:
    QList<Platform> m_platforms;
};
