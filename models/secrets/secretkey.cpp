#include "secrets/secretkey.h"

#include "store/projectstore.h"

#include <QUuid>

namespace {

const QString kProjectIdSetting = QStringLiteral("project.id");

bool isPlatformId(const QString &platform)
{
    if (platform.isEmpty())
        return false;
    for (const QChar c : platform) {
        const bool allowed
            = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        if (!allowed)
            return false;
    }
    return true;
}

bool isUuid(const QString &id)
{
    return !QUuid::fromString(id).isNull() && id.size() == 36;
}

} // namespace

bool SecretKey::isValid() const
{
    return isUuid(projectId) && isPlatformId(platform);
}

Result<QString> SecretKey::projectIdOf(ProjectStore &store)
{
    const QString existing = store.value(kProjectIdSetting).toString();
    if (isUuid(existing))
        return existing;
    // Missing (a project made before keys were kept) or damaged: a new id. Keys saved under a
    // damaged id cannot be found again anyway.
    const QString created = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (const Status saved = store.setValue(kProjectIdSetting, created); !saved)
        return Error{tr("The project's id for its API keys could not be saved: %1")
                         .arg(saved.error().message),
                     saved.error().where, saved.error().hint};
    return created;
}

Result<SecretKey> SecretKey::forProject(ProjectStore &store, const QString &platform)
{
    if (!isPlatformId(platform))
        return Error{tr("\"%1\" is not a platform id.").arg(platform),
                     {},
                     tr("Platform ids are lowercase letters, digits, '-' and '_'.")};
    Result<QString> id = projectIdOf(store);
    if (!id)
        return id.error();
    return SecretKey{std::move(id).value(), platform};
}
