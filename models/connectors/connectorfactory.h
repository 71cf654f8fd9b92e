#pragma once

#include "connectors/connector.h"

#include <memory>

class HttpClient;

/**
 * Makes the connector of a platform. The connector sends through `client`, which must outlive
 * it (NetworkThread owns one on a worker thread).
 */
namespace ConnectorFactory {
std::unique_ptr<SourceConnector> source(const ConnectionSettings &settings, HttpClient &client);
std::unique_ptr<TargetConnector> target(const ConnectionSettings &settings, HttpClient &client);
} // namespace ConnectorFactory
