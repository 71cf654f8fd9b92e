#include "assessment/asset.h"

#include <QCoreApplication>

namespace AssetKinds {

QString key(AssetKind kind)
{
    switch (kind) {
    case AssetKind::Template: return QStringLiteral("template");
    case AssetKind::Campaign: return QStringLiteral("campaign");
    case AssetKind::Automation: return QStringLiteral("automation");
    case AssetKind::Integration: return QStringLiteral("integration");
    case AssetKind::SendingDomain: return QStringLiteral("sendingDomain");
    }
    return {};
}

std::optional<AssetKind> fromKey(QStringView k)
{
    for (const AssetKind kind : kAllAssetKinds) {
        if (key(kind) == k)
            return kind;
    }
    return std::nullopt;
}

QString displayName(AssetKind kind)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("AssetKind", s); };
    switch (kind) {
    case AssetKind::Template: return tr("Templates");
    case AssetKind::Campaign: return tr("Campaigns");
    case AssetKind::Automation: return tr("Automations");
    case AssetKind::Integration: return tr("Integrations");
    case AssetKind::SendingDomain: return tr("Sending domains");
    }
    return {};
}

QString detailsLabel(AssetKind kind)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("AssetKind", s); };
    switch (kind) {
    case AssetKind::Template: return tr("Type / merge tags used");
    case AssetKind::Campaign: return tr("Sent / audience / results");
    case AssetKind::Automation: return tr("Trigger and emails");
    case AssetKind::Integration: return tr("What it syncs");
    case AssetKind::SendingDomain: return tr("Domain / authentication");
    }
    return {};
}

} // namespace AssetKinds

namespace AssetPlans {

QString key(AssetPlan plan)
{
    switch (plan) {
    case AssetPlan::Undecided: return QStringLiteral("undecided");
    case AssetPlan::Migrate: return QStringLiteral("migrate");
    case AssetPlan::Rebuild: return QStringLiteral("rebuild");
    case AssetPlan::Retire: return QStringLiteral("retire");
    }
    return {};
}

std::optional<AssetPlan> fromKey(QStringView k)
{
    for (const auto p : {AssetPlan::Undecided, AssetPlan::Migrate, AssetPlan::Rebuild, AssetPlan::Retire}) {
        if (key(p) == k)
            return p;
    }
    return std::nullopt;
}

QString displayName(AssetPlan plan)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("AssetPlan", s); };
    switch (plan) {
    case AssetPlan::Undecided: return tr("Undecided");
    case AssetPlan::Migrate: return tr("Migrate");
    case AssetPlan::Rebuild: return tr("Rebuild on target");
    case AssetPlan::Retire: return tr("Retire");
    }
    return {};
}

} // namespace AssetPlans
