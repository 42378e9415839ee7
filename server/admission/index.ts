// Connection admission: the limits past which new sockets are refused cleanly (HTTP 503) while open ones carry on.
export {
  Admission,
  type AdmissionOptions,
  admissionOptionsFromEnv,
  defaultAdmissionOptions,
  type RefusalReason,
  type ShedReason,
} from "./admission.ts";
