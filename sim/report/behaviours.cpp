// One-sentence summaries of the behaviour catalogue (sim/spec/BEHAVIORS.md), by ID.
// When the catalogue changes, change the sentence here (report_test checks
// that every ID is listed once and in order).
#include "sim/report/behaviours.h"

namespace cmksim::report {

const std::vector<Behaviour>& behaviours() {
  static const std::vector<Behaviour> kBehaviours = {
      {"K1", "Storage wraps and unwraps the cluster's account encryption key (AEK) with the customer key (KEK) "
             "through Key Vault; the KEK never leaves Key Vault."},
      {"K2", "Data ingested before CMK is configured stays under the Microsoft-managed key (MMK); data ingested "
             "after is under the CMK, and every stored segment carries its protection class."},
      {"K3", "The SSD hot cache is always MMK-encrypted, but access to it follows key revocation."},
      {"K4", "Infrastructure double encryption is fixed at cluster creation and can never change."},
      {"K5", "Auxiliary-plan tables, query packs, dashboards, Logic Apps, Notebooks and Automation runbooks are "
             "never covered by the CMK, whatever the configuration."},
      {"D1", "Each workspace ingests at its configured rate, and data accumulates as segments with time, size, "
             "protection class and location."},
      {"D2", "Data younger than 14 days, and data recently read by queries, is served from the SSD hot cache."},
      {"D3", "Each cluster's storage calls Key Vault to wrap or unwrap the AEK every 6 to 60 seconds, and every "
             "call is counted."},
      {"D4", "Between calls the storage keeps the unwrapped AEK in a short-lived cache."},
      {"D5", "Transient Key Vault faults (timeout, connection, DNS, throttling) interrupt nothing: the cached AEK "
             "stays in use for the whole fault."},
      {"D6", "A permission change (key disabled, deleted or expired, access removed, identity set to none) is "
             "Key Vault answering no, unlike a transient fault."},
      {"D7", "Revocation is honoured within one hour of the permission change; until then data stays readable "
             "(the exposure window)."},
      {"D8", "While storage is unavailable, newly ingested data is dropped for good, queries fail, the SSD cache "
             "is purged and stored data stays inaccessible."},
      {"D9", "Retention purges data at the end of its retention period whether or not it can be read."},
      {"D10", "Once access is restored the next Key Vault call succeeds, the SSD reloads, and ingestion and "
              "queries resume within 30 minutes."},
      {"D11", "Data ingested while a workspace is linked to a cluster still provisioning is deleted and cannot be "
              "recovered."},
      {"D12", "After a cluster is deleted or a workspace unlinked, new data goes to shared storage under the MMK."},
      {"D13", "Under the 2020 profile, a Key Vault outage longer than about 30 minutes makes storage unavailable, "
              "with ingestion buffered under the MMK for several hours."},
      {"R1", "With auto-rotation (empty key version) storage uses the newest enabled key version from its next "
             "Key Vault call."},
      {"R2", "With an explicit key version, a new version is not used until the cluster is updated with it."},
      {"R3", "Disabling or deleting the key version in use before the cluster is updated is a permission change, "
             "and revocation follows."},
      {"R4", "After any rotation all data stays accessible: only the AEK's wrapping changes."},
      {"C1", "Cluster creation is asynchronous and checks the name, identity and capacity reservation."},
      {"C2", "Updating a cluster's key details is asynchronous and refused, with documented messages, when the "
             "key is not usable or recoverable."},
      {"C3", "Key Vault, cluster and linked workspaces must share region and tenant; subscriptions may differ."},
      {"C4", "At most 5 active and 7 reserved clusters per region and subscription, and 1,000 workspaces per "
             "cluster."},
      {"C5", "A deleted cluster is soft-deleted for 14 days with its name reserved, and its workspaces are "
             "unlinked."},
      {"C6", "Changing the cluster identity type is seamless when the new identity is granted first; setting it "
             "to none revokes access until a support restore."},
      {"C7", "Access is granted by the RBAC crypto role or an access policy with Get, Wrap Key and Unwrap Key."},
      {"C8", "A capacity reservation decrease is locked for 30 days after an update."},
      {"W1", "Linking a workspace is asynchronous and refused when it is linked elsewhere or an operation is in "
             "progress."},
      {"W2", "A workspace allows at most two link or unlink operations in any 30 days."},
      {"W3", "A workspace can be unlinked at any time, and a deleted linked workspace restored within its "
             "soft-delete period comes back linked."},
      {"Q1", "Linking a storage account for saved queries removes the workspace's existing saved queries; query "
             "packs stay under the MMK."},
      {"Q2", "Fired log-search alerts carry no query results or alert query."},
      {"Q3", "Asynchronous search jobs are refused on workspaces whose data is under a CMK and accepted elsewhere."},
      {"L1", "With Customer Lockbox, a support engineer's data access waits for the customer's approval or "
             "rejection."},
      {"P1", "Each run follows one profile of documented parameters; a scenario can override any of them."},
  };
  return kBehaviours;
}

std::string behaviour_sentence(const std::string& id) {
  for (const Behaviour& b : behaviours()) {
    if (id == b.id) return b.sentence;
  }
  return "";
}

}  // namespace cmksim::report
