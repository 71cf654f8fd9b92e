#include "connectors/targetplatform.h"

namespace TargetPlatforms {

QString key(TargetPlatform platform)
{
    switch (platform) {
    case TargetPlatform::Mailchimp: return ExportDialects::key(ExportDialect::Mailchimp);
    case TargetPlatform::Brevo: return ExportDialects::key(ExportDialect::Brevo);
    case TargetPlatform::Klaviyo: return ExportDialects::key(ExportDialect::Klaviyo);
    }
    return {};
}

std::optional<TargetPlatform> fromKey(QStringView k)
{
    for (const TargetPlatform p : kAllTargetPlatforms) {
        if (key(p) == k)
            return p;
    }
    return std::nullopt;
}

QString displayName(TargetPlatform platform)
{
    switch (platform) {
    case TargetPlatform::Mailchimp: return ExportDialects::displayName(ExportDialect::Mailchimp);
    case TargetPlatform::Brevo: return ExportDialects::displayName(ExportDialect::Brevo);
    case TargetPlatform::Klaviyo: return ExportDialects::displayName(ExportDialect::Klaviyo);
    }
    return {};
}

std::optional<TargetPlatform> fromDialect(ExportDialect dialect)
{
    switch (dialect) {
    case ExportDialect::Mailchimp: return TargetPlatform::Mailchimp;
    case ExportDialect::Brevo: return TargetPlatform::Brevo;
    case ExportDialect::Klaviyo: return TargetPlatform::Klaviyo;
    case ExportDialect::Generic: return std::nullopt;
    }
    return std::nullopt;
}

} // namespace TargetPlatforms
