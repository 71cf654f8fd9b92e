#include "connectors/connectorfactory.h"

#include "connectors/brevo/brevoconnector.h"

// Each platform's connector adds its case as it lands (models/connectors/<platform>/).

std::unique_ptr<SourceConnector> ConnectorFactory::source(const ConnectionSettings &settings,
                                                          HttpClient &client)
{
    Q_UNUSED(client);
    switch (settings.platform) {
    case TargetPlatform::Mailchimp:
        return nullptr;
    case TargetPlatform::Brevo:
        return std::make_unique<BrevoConnector>(settings, client);
    case TargetPlatform::Klaviyo:
        return nullptr;
    }
    return nullptr;
}

std::unique_ptr<TargetConnector> ConnectorFactory::target(const ConnectionSettings &settings,
                                                          HttpClient &client)
{
    Q_UNUSED(client);
    switch (settings.platform) {
    case TargetPlatform::Mailchimp:
        return nullptr;
    case TargetPlatform::Brevo:
        return std::make_unique<BrevoConnector>(settings, client);
    case TargetPlatform::Klaviyo:
        return nullptr;
    }
    return nullptr;
}
