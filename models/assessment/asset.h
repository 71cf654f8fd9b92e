#pragma once

#include <QString>

#include <array>
#include <optional>

/** The parts of an account that are inventoried by hand until the platform connectors read them. */
enum class AssetKind { Template, Campaign, Automation, Integration, SendingDomain };

inline constexpr std::array<AssetKind, 5> kAllAssetKinds = {
    AssetKind::Template, AssetKind::Campaign, AssetKind::Automation, AssetKind::Integration,
    AssetKind::SendingDomain,
};

namespace AssetKinds {
QString key(AssetKind kind);                   ///< "template", "campaign", ...
std::optional<AssetKind> fromKey(QStringView key);
QString displayName(AssetKind kind);           ///< plural, translated: "Templates"
QString detailsLabel(AssetKind kind);          ///< what the details column holds, translated
} // namespace AssetKinds

/** What happens to an asset in the migration. */
enum class AssetPlan { Undecided, Migrate, Rebuild, Retire };

namespace AssetPlans {
QString key(AssetPlan plan);
std::optional<AssetPlan> fromKey(QStringView key);
QString displayName(AssetPlan plan);
} // namespace AssetPlans

struct Asset
{
    qint64 id = 0;
    AssetKind kind = AssetKind::Template;
    QString name;
    QString details;
    AssetPlan plan = AssetPlan::Undecided;
    QString notes;
};
