// FERRY_PLUGIN_LIBRARY("library-name", PluginA, PluginB, ...): the one line that exports a
// library's plugins. Use it once, at namespace scope, in the library's plugin.cpp.
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/sdk/plugin.hpp>

#include <boost/dll/alias.hpp>

#define FERRY_PLUGIN_LIBRARY(library_name, ...)                                              \
  namespace ferry_plugin_export {                                                            \
  inline const ferry_manifest* manifest_entry(uint16_t /*host_major*/, uint16_t /*host_minor*/) { \
    return ::ferry::sdk::detail::manifest<__VA_ARGS__>(library_name);                        \
  }                                                                                          \
  }                                                                                          \
  BOOST_DLL_ALIAS(ferry_plugin_export::manifest_entry, ferry_plugin_manifest_v1)
