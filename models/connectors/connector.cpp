#include "connectors/connector.h"

Error Connectors::unsupported(TargetPlatform platform, const QString &what)
{
    return Error(tr("%1's API does not give access to %2.")
                     .arg(TargetPlatforms::displayName(platform), what),
                 {}, tr("Enter it by hand on the assessment page, or read it from an export."));
}

WriteFailure Connectors::wrongWave(const TargetContact &contact)
{
    return WriteFailure{contact.email, QStringLiteral("wrong_wave"),
                        tr("Not written: a contact of the wave \"%1\" does not belong in this "
                           "write.")
                            .arg(ConsentMapping::waveName(contact.write.wave))};
}
