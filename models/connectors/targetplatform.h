#pragma once

#include "exports/exportdialect.h"

#include <QString>

#include <array>
#include <optional>

/**
 * A platform Stagecoach writes contacts to. Its keys are the platform catalog ids and the export
 * dialect keys ("mailchimp", "brevo", "klaviyo"), so a chosen target or a recognised export
 * converts without a table of its own.
 */
enum class TargetPlatform { Mailchimp, Brevo, Klaviyo };

inline constexpr std::array<TargetPlatform, 3> kAllTargetPlatforms = {
    TargetPlatform::Mailchimp, TargetPlatform::Brevo, TargetPlatform::Klaviyo};

namespace TargetPlatforms {
QString key(TargetPlatform platform); ///< "mailchimp", "brevo", "klaviyo": the catalog id
std::optional<TargetPlatform> fromKey(QStringView key);
QString displayName(TargetPlatform platform);
/// The platform that wrote an export; nullopt for a generic CSV.
std::optional<TargetPlatform> fromDialect(ExportDialect dialect);
} // namespace TargetPlatforms
